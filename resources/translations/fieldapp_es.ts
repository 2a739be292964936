<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es" sourcelanguage="en">
<context>
    <name>AttachmentViewer</name>
    <message>
        <location filename="../../fieldapp/ui/gallery/viewer.py" line="40"/>
        <source>Fetching the file from the office…</source>
        <translation>Descargando el archivo de la oficina…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/gallery/viewer.py" line="47"/>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/gallery/viewer.py" line="47"/>
        <source>Back</source>
        <translation>Volver</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/gallery/viewer.py" line="49"/>
        <source>Entered in error…</source>
        <translation>Registrado por error…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/gallery/viewer.py" line="52"/>
        <source>Mark entered in error</source>
        <translation>Marcar como registrado por error</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/gallery/viewer.py" line="58"/>
        <source>Entered in error: {reason}</source>
        <translation>Registrado por error: {reason}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/gallery/viewer.py" line="69"/>
        <source>The file is not on this tablet and cannot be fetched now; open it again when online.</source>
        <translation>El archivo no está en esta tableta y no se puede descargar ahora; ábralo de nuevo cuando haya conexión.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/gallery/viewer.py" line="77"/>
        <source>{kind} of {size} KB, kept encrypted on this tablet.</source>
        <translation>{kind} de {size} KB, guardado cifrado en esta tableta.</translation>
    </message>
</context>
<context>
    <name>Attestation</name>
    <message>
        <location filename="../../fieldapp/ui/visit/signature.py" line="27"/>
        <source>I confirm that a care worker visited {name} on {day}, from {begin} to {end}, and provided the service recorded ({service}).</source>
        <translation>Confirmo que un trabajador de cuidado visitó a {name} el {day}, de {begin} a {end}, y prestó el servicio registrado ({service}).</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/signature.py" line="41"/>
        <source>The {notes} note(s) and {vitals} vital sign(s) shown for this visit were recorded during it.</source>
        <translation>Las {notes} nota(s) y los {vitals} signo(s) vital(es) que se muestran para esta visita se registraron durante ella.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/signature.py" line="48"/>
        <source>I sign as the patient, or on the patient&apos;s behalf as the person named below.</source>
        <translation>Firmo como paciente, o en nombre del paciente como la persona nombrada abajo.</translation>
    </message>
</context>
<context>
    <name>CameraDialog</name>
    <message>
        <location filename="../../fieldapp/ui/gallery/camera.py" line="47"/>
        <source>Take a photo</source>
        <translation>Tomar una foto</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/gallery/camera.py" line="50"/>
        <source>Camera preview</source>
        <translation>Vista de la cámara</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/gallery/camera.py" line="57"/>
        <source>Caption</source>
        <translation>Descripción</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/gallery/camera.py" line="58"/>
        <source>Caption (optional), e.g. left heel wound, 2 x 3 cm</source>
        <translation>Descripción (opcional), p. ej. herida en el talón izquierdo, 2 x 3 cm</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/gallery/camera.py" line="63"/>
        <source>Take photo</source>
        <translation>Tomar foto</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/gallery/camera.py" line="63"/>
        <source>Take the photo</source>
        <translation>Tomar la foto</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/gallery/camera.py" line="63"/>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/gallery/camera.py" line="76"/>
        <source>Waiting for the picture…</source>
        <translation>Esperando la imagen…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/gallery/camera.py" line="80"/>
        <source>This tablet has no camera; add a photo from a file instead.</source>
        <translation>Esta tableta no tiene cámara; agregue una foto desde un archivo.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/gallery/camera.py" line="86"/>
        <source>The camera failed: {reason}</source>
        <translation>La cámara falló: {reason}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/gallery/camera.py" line="90"/>
        <source>Hold the tablet still, then tap Take photo.</source>
        <translation>Mantenga la tableta quieta y toque Tomar foto.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/gallery/camera.py" line="100"/>
        <source>Tap Take photo.</source>
        <translation>Toque Tomar foto.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/gallery/camera.py" line="105"/>
        <source>No picture yet: wait for the preview, then tap Take photo.</source>
        <translation>Todavía no hay imagen: espere la vista previa y toque Tomar foto.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/gallery/camera.py" line="109"/>
        <source>The picture could not be read; try again.</source>
        <translation>No se pudo leer la imagen; inténtelo de nuevo.</translation>
    </message>
</context>
<context>
    <name>CheckOutWarning</name>
    <message>
        <location filename="../../fieldapp/ui/visit/verification.py" line="146"/>
        <location filename="../../fieldapp/ui/visit/verification.py" line="148"/>
        <source>Check out now?</source>
        <translation>¿Registrar la salida ahora?</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/verification.py" line="150"/>
        <source>Warnings</source>
        <translation>Advertencias</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/verification.py" line="154"/>
        <source>Check out anyway</source>
        <translation>Registrar salida igual</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/verification.py" line="154"/>
        <source>Keep the visit open</source>
        <translation>Dejar la visita abierta</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/verification.py" line="174"/>
        <source>This visit has lasted {minutes} min of the {scheduled} min scheduled: the office will review a visit this short.</source>
        <translation>Esta visita ha durado {minutes} min de los {scheduled} min programados: la oficina revisará una visita tan corta.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/verification.py" line="182"/>
        <source>The patient has not signed yet: after checking out, ask them to sign.</source>
        <translation>El paciente todavía no ha firmado: después de registrar la salida, pídale que firme.</translation>
    </message>
</context>
<context>
    <name>ChecklistPanel</name>
    <message>
        <location filename="../../fieldapp/ui/visit/tasks.py" line="247"/>
        <source>Tasks (plan of care)</source>
        <translation>Tareas (plan de cuidado)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/tasks.py" line="249"/>
        <source>Tasks recorded</source>
        <translation>Tareas registradas</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/tasks.py" line="251"/>
        <source>Tasks left open</source>
        <translation>Tareas pendientes</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/tasks.py" line="274"/>
        <source>{done} of {count} tasks recorded</source>
        <translation>{done} de {count} tareas registradas</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/tasks.py" line="276"/>
        <source>No tasks on the plan of care for this visit</source>
        <translation>El plan de cuidado no tiene tareas para esta visita</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/tasks.py" line="284"/>
        <source>⚠ Left open at check-out: {tasks}</source>
        <translation>⚠ Pendientes al registrar la salida: {tasks}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/tasks.py" line="315"/>
        <source>⚠ {count} tasks are still open: {tasks}. Record what happened, or tap Check out again to leave them open (the office sees it).</source>
        <translation>⚠ Quedan {count} tareas pendientes: {tasks}. Registre lo que pasó, o toque Registrar salida otra vez para dejarlas pendientes (la oficina lo verá).</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/tasks.py" line="320"/>
        <source>⚠ 1 task is still open: {tasks}. Record what happened, or tap Check out again to leave it open (the office sees it).</source>
        <translation>⚠ Queda 1 tarea pendiente: {tasks}. Registre lo que pasó, o toque Registrar salida otra vez para dejarla pendiente (la oficina lo verá).</translation>
    </message>
</context>
<context>
    <name>ClinicalListsDialog</name>
    <message>
        <location filename="../../fieldapp/ui/medications/lists.py" line="46"/>
        <source>Allergies and diagnoses</source>
        <translation>Alergias y diagnósticos</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/lists.py" line="52"/>
        <location filename="../../fieldapp/ui/medications/lists.py" line="55"/>
        <source>Allergies</source>
        <translation>Alergias</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/lists.py" line="50"/>
        <source>Substance</source>
        <translation>Sustancia</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/lists.py" line="50"/>
        <source>Reaction</source>
        <translation>Reacción</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/lists.py" line="50"/>
        <location filename="../../fieldapp/ui/medications/lists.py" line="112"/>
        <source>Severity</source>
        <translation>Gravedad</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/lists.py" line="58"/>
        <source>Add allergy</source>
        <translation>Agregar alergia</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/lists.py" line="58"/>
        <source>Add an allergy</source>
        <translation>Agregar una alergia</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/lists.py" line="58"/>
        <source>Remove the selected allergy</source>
        <translation>Quitar la alergia seleccionada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/lists.py" line="64"/>
        <source>Diagnoses (ICD-10)</source>
        <translation>Diagnósticos (CIE-10)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/lists.py" line="60"/>
        <source>Code</source>
        <translation>Código</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/lists.py" line="60"/>
        <source>Description</source>
        <translation>Descripción</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/lists.py" line="61"/>
        <source>Diagnoses</source>
        <translation>Diagnósticos</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/lists.py" line="67"/>
        <source>Add diagnosis</source>
        <translation>Agregar diagnóstico</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/lists.py" line="67"/>
        <source>Add a diagnosis</source>
        <translation>Agregar un diagnóstico</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/lists.py" line="67"/>
        <source>Remove the selected diagnosis</source>
        <translation>Quitar el diagnóstico seleccionado</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/lists.py" line="71"/>
        <source>Save</source>
        <translation>Guardar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/lists.py" line="71"/>
        <source>Save the lists</source>
        <translation>Guardar las listas</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/lists.py" line="71"/>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/lists.py" line="97"/>
        <source>Remove selected</source>
        <translation>Quitar la selección</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/lists.py" line="144"/>
        <source>Allergy row {row}</source>
        <translation>Alergia, fila {row}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/lists.py" line="158"/>
        <source>Diagnosis row {row}</source>
        <translation>Diagnóstico, fila {row}</translation>
    </message>
</context>
<context>
    <name>Common</name>
    <message>
        <location filename="../../fieldapp/ui/common.py" line="225"/>
        <source>never</source>
        <translation>nunca</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/common.py" line="229"/>
        <source>just now</source>
        <translation>hace un momento</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/common.py" line="231"/>
        <source>{minutes} min ago</source>
        <translation>hace {minutes} min</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/common.py" line="233"/>
        <source>{hours} h ago</source>
        <translation>hace {hours} h</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/common.py" line="236"/>
        <source>yesterday</source>
        <translation>ayer</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/common.py" line="237"/>
        <source>{days} days ago</source>
        <translation>hace {days} días</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/i18n.py" line="176"/>
        <source>dddd d MMMM</source>
        <translation>dddd d &apos;de&apos; MMMM</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/i18n.py" line="181"/>
        <source>d MMMM yyyy</source>
        <translation>d &apos;de&apos; MMMM &apos;de&apos; yyyy</translation>
    </message>
</context>
<context>
    <name>ConflictCard</name>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="33"/>
        <source>Changed in two places at the same time; the later change was kept.</source>
        <translation>Se cambió en dos lugares a la vez; se guardó el cambio más reciente.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="36"/>
        <source>Changed here after the record was deleted elsewhere.</source>
        <translation>Se cambió aquí después de que el registro se borrara en otro lugar.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="39"/>
        <source>A second value for something that cannot change once written; the first was kept.</source>
        <translation>Un segundo valor para algo que no puede cambiar una vez anotado; se guardó el primero.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="42"/>
        <source>Someone tried to delete a record that is never deleted; it was kept.</source>
        <translation>Alguien intentó borrar un registro que nunca se borra; se conservó.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="45"/>
        <source>Replaced by a later edit.</source>
        <translation>Reemplazado por un cambio posterior.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="52"/>
        <location filename="../../fieldapp/ui/conflicts.py" line="67"/>
        <source>(empty)</source>
        <translation>(vacío)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="55"/>
        <source>yes</source>
        <translation>sí</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="57"/>
        <source>no</source>
        <translation>no</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="73"/>
        <source>Record number</source>
        <translation>Número de expediente</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="74"/>
        <source>Given name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="75"/>
        <source>Family name</source>
        <translation>Apellidos</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="76"/>
        <source>Date of birth</source>
        <translation>Fecha de nacimiento</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="77"/>
        <source>Sex</source>
        <translation>Sexo</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="78"/>
        <source>Phone</source>
        <translation>Teléfono</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="79"/>
        <source>Address</source>
        <translation>Dirección</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="80"/>
        <source>Emergency contact</source>
        <translation>Contacto de emergencia</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="81"/>
        <source>Allergies</source>
        <translation>Alergias</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="82"/>
        <source>Diagnoses</source>
        <translation>Diagnósticos</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="83"/>
        <source>Care plan</source>
        <translation>Plan de cuidados</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="84"/>
        <source>Active</source>
        <translation>Activo</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="85"/>
        <source>Scheduled start</source>
        <translation>Inicio previsto</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="86"/>
        <source>Scheduled end</source>
        <translation>Fin previsto</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="87"/>
        <source>Service</source>
        <translation>Servicio</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="88"/>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="89"/>
        <source>Check in</source>
        <translation>Llegada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="90"/>
        <source>Check out</source>
        <translation>Salida</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="91"/>
        <source>Text</source>
        <translation>Texto</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="92"/>
        <source>Value</source>
        <translation>Valor</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="93"/>
        <source>Unit</source>
        <translation>Unidad</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="115"/>
        <source>The office cancelled this visit after it had started; the visit and its record were kept.</source>
        <translation>La oficina canceló esta visita después de que empezó; se conservaron la visita y su registro.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="120"/>
        <source>The office sets the schedule; its value was kept.</source>
        <translation>La oficina fija el horario; se conservó su valor.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="121"/>
        <source>What happened at the visit is recorded in the field; the office&apos;s change did not replace it.</source>
        <translation>Lo que pasó en la visita se registra en campo; el cambio de la oficina no lo reemplazó.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="136"/>
        <source>Conflict: {record}, {field}</source>
        <translation>Conflicto: {record}, {field}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="152"/>
        <source>Kept now</source>
        <translation>Guardado ahora</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="155"/>
        <source>Lost</source>
        <translation>Descartado</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="165"/>
        <source>Keep</source>
        <translation>Conservar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="165"/>
        <source>Keep the current value of {field}</source>
        <translation>Conservar el valor actual de {field}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="168"/>
        <source>Restore mine</source>
        <translation>Recuperar el mío</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="168"/>
        <source>Restore this value</source>
        <translation>Recuperar este valor</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="170"/>
        <source>Restore the value of {field} that lost</source>
        <translation>Recuperar el valor descartado de {field}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="188"/>
        <source>{title}, written by {who}, {when}</source>
        <translation>{title}, anotado por {who}, {when}</translation>
    </message>
</context>
<context>
    <name>ConflictsScreen</name>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="212"/>
        <location filename="../../fieldapp/ui/conflicts.py" line="218"/>
        <source>Conflicts</source>
        <translation>Conflictos</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="221"/>
        <source>Someone else changed the same thing while this tablet was offline (or the other way round). The newer change was kept; the other value is kept here so nothing is lost. Keep what is right now, or bring the other value back.</source>
        <translation>Otra persona cambió el mismo dato mientras esta tableta estaba sin conexión (o al revés). Se guardó el cambio más reciente; el otro valor se conserva aquí para que no se pierda nada. Conserve el que es correcto ahora o recupere el otro.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="229"/>
        <source>No conflicts. Everything changed here and at the office fits together.</source>
        <translation>No hay conflictos. Todo lo que se cambió aquí y en la oficina coincide.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="217"/>
        <source>Conflicts list</source>
        <translation>Lista de conflictos</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="244"/>
        <source>nobody</source>
        <translation>nadie</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="246"/>
        <source>this tablet</source>
        <translation>esta tableta</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="248"/>
        <source>the office</source>
        <translation>la oficina</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="250"/>
        <source>device {node}</source>
        <translation>dispositivo {node}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="282"/>
        <source>This value cannot be restored: {problem}</source>
        <translation>No se puede recuperar este valor: {problem}</translation>
    </message>
</context>
<context>
    <name>CountTile</name>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/counts.py" line="16"/>
        <source>Done</source>
        <translation>Hechas</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/counts.py" line="17"/>
        <source>Missed</source>
        <translation>No realizadas</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/counts.py" line="18"/>
        <source>Not finished</source>
        <translation>Sin terminar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/counts.py" line="19"/>
        <source>Unsigned</source>
        <translation>Sin firmar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/counts.py" line="20"/>
        <source>Missing EVV</source>
        <translation>Falta EVV</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/counts.py" line="21"/>
        <source>Unsent changes</source>
        <translation>Cambios sin enviar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/counts.py" line="22"/>
        <source>Conflicts</source>
        <translation>Conflictos</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/counts.py" line="50"/>
        <source>{count} — needs attention</source>
        <translation>{count} — requiere atención</translation>
    </message>
</context>
<context>
    <name>DayReportDocument</name>
    <message>
        <location filename="../../fieldapp/reports/pdf.py" line="96"/>
        <source>End-of-day report {worker} {day}</source>
        <translation>Informe de fin del día {worker} {day}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/pdf.py" line="162"/>
        <source>worker</source>
        <translation>trabajador</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/pdf.py" line="163"/>
        <source>End-of-day report · {worker} · {day}</source>
        <translation>Informe de fin del día · {worker} · {day}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/pdf.py" line="175"/>
        <source>Generated {time} {zone} by fieldapp on this tablet</source>
        <translation>Generado el {time} {zone} por fieldapp en esta tableta</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/pdf.py" line="179"/>
        <source>Page {page} of {pages}</source>
        <translation>Página {page} de {pages}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/pdf.py" line="188"/>
        <source>Content SHA-256: {digest}</source>
        <translation>SHA-256 del contenido: {digest}</translation>
    </message>
</context>
<context>
    <name>EndOfDayScreen</name>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/screen.py" line="37"/>
        <source>Submitting is not available: this tablet is not connected to an office.</source>
        <translation>No se puede enviar: esta tableta no está conectada a una oficina.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/screen.py" line="43"/>
        <source>Uploading the report PDF</source>
        <translation>Subiendo el PDF del informe</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/screen.py" line="44"/>
        <source>Sending the report to the office</source>
        <translation>Enviando el informe a la oficina</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/screen.py" line="45"/>
        <source>Saving the office&apos;s receipt</source>
        <translation>Guardando el recibo de la oficina</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/screen.py" line="46"/>
        <source>Checking what arrived</source>
        <translation>Comprobando lo que llegó</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/screen.py" line="81"/>
        <location filename="../../fieldapp/ui/end_of_day/screen.py" line="130"/>
        <location filename="../../fieldapp/ui/end_of_day/screen.py" line="131"/>
        <source>End of day</source>
        <translation>Fin del día</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/screen.py" line="135"/>
        <source>Ready to submit?</source>
        <translation>¿Listo para enviar?</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/screen.py" line="139"/>
        <source>To fix before you go</source>
        <translation>Por corregir antes de irse</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/screen.py" line="164"/>
        <source>Unsent changes</source>
        <translation>Cambios sin enviar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/screen.py" line="166"/>
        <source>Sync now</source>
        <translation>Sincronizar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/screen.py" line="166"/>
        <source>Send unsent changes to the office now</source>
        <translation>Enviar ahora a la oficina los cambios sin enviar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/screen.py" line="178"/>
        <source>Create report</source>
        <translation>Crear informe</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/screen.py" line="178"/>
        <source>Create the end-of-day report</source>
        <translation>Crear el informe de fin del día</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/screen.py" line="181"/>
        <location filename="../../fieldapp/ui/end_of_day/screen.py" line="342"/>
        <source>Submit to the office</source>
        <translation>Enviar a la oficina</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/screen.py" line="181"/>
        <source>Submit the report to the office</source>
        <translation>Enviar el informe a la oficina</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/screen.py" line="194"/>
        <source>Submission progress</source>
        <translation>Progreso del envío</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/screen.py" line="199"/>
        <source>Report status</source>
        <translation>Estado del informe</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/screen.py" line="203"/>
        <source>Report preview (page 1)</source>
        <translation>Vista previa del informe (página 1)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/screen.py" line="209"/>
        <source>Preview of the report&apos;s first page</source>
        <translation>Vista previa de la primera página del informe</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/screen.py" line="242"/>
        <source>End of day — {day}</source>
        <translation>Fin del día — {day}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/screen.py" line="259"/>
        <source>{count} change(s) on this tablet have not reached the office yet. Sync now before submitting, so the office&apos;s receipt can confirm them.</source>
        <translation>{count} cambio(s) de esta tableta aún no han llegado a la oficina. Sincronice antes de enviar, para que el acuse de la oficina pueda confirmarlos.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/screen.py" line="281"/>
        <source>Something changed since the report was created: create it again before submitting.</source>
        <translation>Algo cambió desde que se creó el informe: vuelva a crearlo antes de enviarlo.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/screen.py" line="301"/>
        <source>Syncing… the counts update when it is done.</source>
        <translation>Sincronizando… los totales se actualizan al terminar.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/screen.py" line="318"/>
        <source>The sync did not finish: {problem}</source>
        <translation>La sincronización no terminó: {problem}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/screen.py" line="322"/>
        <source>Synced. {count} change(s) made since then are still to send.</source>
        <translation>Sincronizado. Quedan por enviar {count} cambio(s) hechos desde entonces.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/screen.py" line="326"/>
        <source>Synced: every change on this tablet has reached the office.</source>
        <translation>Sincronizado: todos los cambios de esta tableta han llegado a la oficina.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/screen.py" line="347"/>
        <source>Report preview (page 1 of {pages})</source>
        <translation>Vista previa del informe (página 1 de {pages})</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/screen.py" line="353"/>
        <source>Report created: {pages} page(s). Content SHA-256 {digest}</source>
        <translation>Informe creado: {pages} página(s). SHA-256 del contenido {digest}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/screen.py" line="376"/>
        <source>The report could not be saved: {reason}</source>
        <translation>No se pudo guardar el informe: {reason}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/screen.py" line="403"/>
        <source>Sending the report to the office…</source>
        <translation>Enviando el informe a la oficina…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/screen.py" line="425"/>
        <source>Not submitted: {reason}. The report is saved on this tablet; try again when the connection is back (it is also sent with the next sync).</source>
        <translation>No se envió: {reason}. El informe está guardado en esta tableta; inténtelo de nuevo cuando vuelva la conexión (también se envía con la próxima sincronización).</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/screen.py" line="431"/>
        <source>Try again</source>
        <translation>Intentar de nuevo</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/screen.py" line="446"/>
        <source>Submitted. Report {report}, PDF SHA-256 {pdf}…</source>
        <translation>Enviado. Informe {report}, SHA-256 del PDF {pdf}…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/screen.py" line="448"/>
        <source>Submitted</source>
        <translation>Enviado</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/counts.py" line="82"/>
        <source>What to fix; tap a visit to open it</source>
        <translation>Qué corregir; toque una visita para abrirla</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/counts.py" line="101"/>
        <source>{count} conflict(s) to look at</source>
        <translation>{count} conflicto(s) por revisar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/counts.py" line="110"/>
        <source>{count} change(s) refused by the office (see Sync status)</source>
        <translation>{count} cambio(s) rechazado(s) por la oficina (vea Estado de sincronización)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/counts.py" line="120"/>
        <source>No visits were scheduled for you on this day.</source>
        <translation>No tenía visitas programadas para este día.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/counts.py" line="125"/>
        <source>Everything is done, signed, verified and sent. Create the report and submit it.</source>
        <translation>Todo está hecho, firmado, verificado y enviado. Cree el informe y envíelo.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/counts.py" line="132"/>
        <source>Some things still need you before the day is closed (highlighted below).</source>
        <translation>Todavía hay cosas que necesitan su atención antes de cerrar el día (resaltadas abajo).</translation>
    </message>
</context>
<context>
    <name>GalleryPanel</name>
    <message>
        <location filename="../../fieldapp/ui/gallery/panel.py" line="39"/>
        <source>the file cannot be read ({reason})</source>
        <translation>no se puede leer el archivo ({reason})</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/gallery/panel.py" line="57"/>
        <location filename="../../fieldapp/ui/gallery/panel.py" line="58"/>
        <source>Photos and documents</source>
        <translation>Fotos y documentos</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/gallery/panel.py" line="67"/>
        <source>No photos or documents yet</source>
        <translation>Todavía no hay fotos ni documentos</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/gallery/panel.py" line="71"/>
        <source>Take photo</source>
        <translation>Tomar foto</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/gallery/panel.py" line="71"/>
        <source>Take a photo</source>
        <translation>Tomar una foto</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/gallery/panel.py" line="74"/>
        <source>Add photo or PDF</source>
        <translation>Agregar foto o PDF</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/gallery/panel.py" line="74"/>
        <source>Add a photo or PDF from a file</source>
        <translation>Agregar una foto o un PDF desde un archivo</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/gallery/panel.py" line="95"/>
        <source>this visit</source>
        <translation>esta visita</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/gallery/panel.py" line="96"/>
        <source>entered in error</source>
        <translation>ingresado por error</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/gallery/panel.py" line="125"/>
        <source>Add a photo or PDF</source>
        <translation>Agregar una foto o un PDF</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/gallery/panel.py" line="127"/>
        <source>Photos and PDFs</source>
        <translation>Fotos y PDF</translation>
    </message>
</context>
<context>
    <name>InErrorDialog</name>
    <message>
        <location filename="../../fieldapp/ui/visit/in_error.py" line="22"/>
        <source>Entered in error</source>
        <translation>Registrado por error</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/in_error.py" line="25"/>
        <source>Mark “{what}” as entered in error? It stays on the record, struck through with your reason, and the office sees it.</source>
        <translation>¿Marcar «{what}» como registrado por error? Queda en el expediente, tachado con su motivo, y la oficina lo ve.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/in_error.py" line="29"/>
        <source>Why it was entered in error</source>
        <translation>Por qué se registró por error</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/in_error.py" line="30"/>
        <source>Why? For example: wrong patient, tapped the wrong row</source>
        <translation>¿Por qué? Por ejemplo: paciente equivocado, tocó la fila equivocada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/in_error.py" line="36"/>
        <source>Mark entered in error</source>
        <translation>Marcar como registrado por error</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/in_error.py" line="36"/>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/in_error.py" line="43"/>
        <source>Say why it was entered in error.</source>
        <translation>Diga por qué se registró por error.</translation>
    </message>
</context>
<context>
    <name>LockOverlay</name>
    <message>
        <location filename="../../fieldapp/ui/lock.py" line="34"/>
        <source>fieldapp – locked</source>
        <translation>fieldapp – bloqueada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/lock.py" line="71"/>
        <location filename="../../fieldapp/ui/lock.py" line="93"/>
        <source>Tablet locked</source>
        <translation>Tableta bloqueada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/lock.py" line="94"/>
        <source>Signed in as {user}</source>
        <translation>Sesión de {user}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/lock.py" line="95"/>
        <source>Signed-in user</source>
        <translation>Usuario con la sesión abierta</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/lock.py" line="97"/>
        <source>Enter your password to continue where you left off. Sync goes on in the background.</source>
        <translation>Escriba su contraseña para seguir donde se quedó. La sincronización continúa mientras tanto.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/lock.py" line="108"/>
        <location filename="../../fieldapp/ui/lock.py" line="112"/>
        <source>Password</source>
        <translation>Contraseña</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/lock.py" line="114"/>
        <source>Unlock problem</source>
        <translation>Problema al desbloquear</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/lock.py" line="115"/>
        <source>Time before the next try</source>
        <translation>Tiempo antes del próximo intento</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/lock.py" line="117"/>
        <source>Checking the password</source>
        <translation>Comprobando la contraseña</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/lock.py" line="122"/>
        <source>Unlock</source>
        <translation>Desbloquear</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/lock.py" line="122"/>
        <source>Unlock as {user}</source>
        <translation>Desbloquear como {user}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/lock.py" line="131"/>
        <source>Sign out…</source>
        <translation>Cerrar sesión…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/lock.py" line="132"/>
        <location filename="../../fieldapp/ui/lock.py" line="145"/>
        <source>Sign out</source>
        <translation>Cerrar sesión</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/lock.py" line="134"/>
        <source>Not you, or forgot the password? Sign out of this tablet.</source>
        <translation>¿No es usted u olvidó la contraseña? Cierre la sesión en esta tableta.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/lock.py" line="140"/>
        <source>Sign out? Whatever is typed on screen but not saved is lost. Saved records stay on this tablet and are sent after the next sign-in, which needs a connection.</source>
        <translation>¿Cerrar sesión? Lo escrito en pantalla que no esté guardado se pierde. Los registros guardados se quedan en esta tableta y se envían al volver a iniciar sesión, lo que necesita conexión.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/lock.py" line="145"/>
        <source>Sign out now</source>
        <translation>Cerrar sesión ahora</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/lock.py" line="146"/>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/lock.py" line="146"/>
        <source>Stay signed in</source>
        <translation>Seguir con la sesión abierta</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/lock.py" line="324"/>
        <source>Try again in {wait}.</source>
        <translation>Vuelva a intentarlo en {wait}.</translation>
    </message>
</context>
<context>
    <name>LockService</name>
    <message>
        <location filename="../../fieldapp/qt/lock.py" line="139"/>
        <source>Too many wrong passwords. Try again in {wait}.</source>
        <translation>Demasiadas contraseñas incorrectas. Vuelva a intentarlo en {wait}.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/lock.py" line="145"/>
        <source>Enter your password.</source>
        <translation>Escriba su contraseña.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/lock.py" line="158"/>
        <source>The password could not be checked because of a problem in the app: {problem}</source>
        <translation>No se pudo comprobar la contraseña por un problema de la aplicación: {problem}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/lock.py" line="186"/>
        <source>Too many wrong passwords: try again in {wait}.</source>
        <translation>Demasiadas contraseñas incorrectas: vuelva a intentarlo en {wait}.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/lock.py" line="195"/>
        <source>{tries} more tries before a pause.</source>
        <translation>Le quedan {tries} intentos antes de una pausa.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/lock.py" line="199"/>
        <source>One more try before a pause.</source>
        <translation>Le queda un intento antes de una pausa.</translation>
    </message>
</context>
<context>
    <name>LoginScreen</name>
    <message>
        <location filename="../../fieldapp/ui/login.py" line="25"/>
        <source>fieldapp – sign in</source>
        <translation>fieldapp – iniciar sesión</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/login.py" line="25"/>
        <location filename="../../fieldapp/ui/login.py" line="57"/>
        <location filename="../../fieldapp/ui/login.py" line="127"/>
        <location filename="../../fieldapp/ui/login.py" line="129"/>
        <source>Sign in</source>
        <translation>Iniciar sesión</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/login.py" line="36"/>
        <location filename="../../fieldapp/ui/login.py" line="43"/>
        <source>Server address</source>
        <translation>Dirección del servidor</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/login.py" line="38"/>
        <location filename="../../fieldapp/ui/login.py" line="44"/>
        <source>User name</source>
        <translation>Nombre de usuario</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/login.py" line="40"/>
        <location filename="../../fieldapp/ui/login.py" line="45"/>
        <source>Password</source>
        <translation>Contraseña</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/login.py" line="65"/>
        <source>Signing in</source>
        <translation>Iniciando sesión</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/login.py" line="67"/>
        <source>Signing in…</source>
        <translation>Iniciando sesión…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/login.py" line="69"/>
        <source>Sign-in problem</source>
        <translation>Problema al iniciar sesión</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/login.py" line="116"/>
        <source>Welcome back, {user}</source>
        <translation>Hola de nuevo, {user}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/login.py" line="119"/>
        <source>Enter your password to open this tablet. No connection is needed; your records are here.</source>
        <translation>Escriba su contraseña para abrir esta tableta. No hace falta conexión; sus registros están aquí.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/login.py" line="122"/>
        <source>Open the tablet as {user}</source>
        <translation>Abrir la tableta como {user}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/login.py" line="123"/>
        <source>Open</source>
        <translation>Abrir</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/login.py" line="124"/>
        <source>Sign in online instead</source>
        <translation>Iniciar sesión en línea</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/login.py" line="128"/>
        <source>Sign in with the account the office gave you.</source>
        <translation>Inicie sesión con la cuenta que le dio la oficina.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/login.py" line="130"/>
        <location filename="../../fieldapp/ui/login.py" line="185"/>
        <source>Sign in offline as {user}</source>
        <translation>Iniciar sesión sin conexión como {user}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/login.py" line="164"/>
        <source>Enter the server address the office gave you.</source>
        <translation>Escriba la dirección del servidor que le dio la oficina.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/login.py" line="166"/>
        <source>Enter your user name.</source>
        <translation>Escriba su nombre de usuario.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/login.py" line="168"/>
        <source>Enter your password.</source>
        <translation>Escriba su contraseña.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../fieldapp/ui/main_window.py" line="80"/>
        <source>fieldapp main window</source>
        <translation>Ventana principal de fieldapp</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/main_window.py" line="95"/>
        <source>Page</source>
        <translation>Página</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/main_window.py" line="114"/>
        <location filename="../../fieldapp/ui/main_window.py" line="136"/>
        <source>Signed in as {user}</source>
        <translation>Sesión de {user}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/main_window.py" line="130"/>
        <source>Lock now</source>
        <translation>Bloquear</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/main_window.py" line="130"/>
        <source>Lock the tablet now</source>
        <translation>Bloquear la tableta ahora</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/main_window.py" line="130"/>
        <source>Lock the tablet now (Ctrl+L)</source>
        <translation>Bloquear la tableta ahora (Ctrl+L)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/main_window.py" line="143"/>
        <source>‹ Back</source>
        <translation>‹ Volver</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/main_window.py" line="143"/>
        <source>Back</source>
        <translation>Volver</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/main_window.py" line="143"/>
        <source>Back to the previous screen (Esc)</source>
        <translation>Volver a la pantalla anterior (Esc)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/main_window.py" line="266"/>
        <source>Visit</source>
        <translation>Visita</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/main_window.py" line="266"/>
        <source>Patient</source>
        <translation>Paciente</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/main_window.py" line="307"/>
        <source>{page}, {count} open</source>
        <translation>{page}, {count} abiertos</translation>
    </message>
</context>
<context>
    <name>MedicationDialog</name>
    <message>
        <location filename="../../fieldapp/ui/medications/editor.py" line="35"/>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/editor.py" line="36"/>
        <source>e.g. Furosemide</source>
        <translation>p. ej. Furosemida</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/editor.py" line="41"/>
        <source>Strength</source>
        <translation>Concentración</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/editor.py" line="42"/>
        <source>e.g. 40 mg</source>
        <translation>p. ej. 40 mg</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/editor.py" line="47"/>
        <source>Dose</source>
        <translation>Dosis</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/editor.py" line="48"/>
        <source>e.g. 1 tablet</source>
        <translation>p. ej. 1 tableta</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/editor.py" line="53"/>
        <source>Frequency</source>
        <translation>Frecuencia</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/editor.py" line="54"/>
        <source>e.g. once a day, morning</source>
        <translation>p. ej. una vez al día, en la mañana</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/editor.py" line="59"/>
        <source>Prescriber</source>
        <translation>Quien la recetó</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/editor.py" line="60"/>
        <source>e.g. Dr. Okafor</source>
        <translation>p. ej. Dra. Okafor</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/editor.py" line="77"/>
        <source>dd MMM yyyy</source>
        <translation>dd MMM yyyy</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/editor.py" line="109"/>
        <source>Edit medication</source>
        <translation>Editar medicamento</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/editor.py" line="109"/>
        <source>Add a medication</source>
        <translation>Agregar un medicamento</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/editor.py" line="123"/>
        <location filename="../../fieldapp/ui/medications/editor.py" line="127"/>
        <source>Route</source>
        <translation>Vía</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/editor.py" line="128"/>
        <source>Started</source>
        <translation>Empezó</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/editor.py" line="128"/>
        <source>Stops</source>
        <translation>Termina</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/editor.py" line="129"/>
        <source>Start</source>
        <translation>Inicio</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/editor.py" line="130"/>
        <source>Stop</source>
        <translation>Suspender</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/editor.py" line="132"/>
        <location filename="../../fieldapp/ui/medications/editor.py" line="134"/>
        <source>Notes</source>
        <translation>Notas</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/editor.py" line="138"/>
        <source>Save</source>
        <translation>Guardar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/editor.py" line="138"/>
        <source>Save the medication</source>
        <translation>Guardar el medicamento</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/editor.py" line="138"/>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/editor.py" line="173"/>
        <source>Give the medication&apos;s name.</source>
        <translation>Escriba el nombre del medicamento.</translation>
    </message>
</context>
<context>
    <name>MedicationsPanel</name>
    <message>
        <location filename="../../fieldapp/ui/medications/panel.py" line="23"/>
        <source>since {day}</source>
        <translation>desde {day}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/panel.py" line="28"/>
        <source>stopped {day}</source>
        <translation>suspendido {day}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/panel.py" line="36"/>
        <source>DISCONTINUED: {medication}</source>
        <translation>SUSPENDIDO: {medication}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/panel.py" line="41"/>
        <source>ENTERED IN ERROR ({reason}): {medication}</source>
        <translation>REGISTRADO POR ERROR ({reason}): {medication}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/panel.py" line="58"/>
        <location filename="../../fieldapp/ui/medications/panel.py" line="59"/>
        <source>Medications</source>
        <translation>Medicamentos</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/panel.py" line="67"/>
        <source>No medications on record</source>
        <translation>No hay medicamentos registrados</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/panel.py" line="71"/>
        <source>Add</source>
        <translation>Agregar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/panel.py" line="71"/>
        <source>Add a medication</source>
        <translation>Agregar un medicamento</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/panel.py" line="74"/>
        <source>Edit</source>
        <translation>Editar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/panel.py" line="74"/>
        <source>Edit the selected medication</source>
        <translation>Editar el medicamento seleccionado</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/panel.py" line="77"/>
        <source>Stop</source>
        <translation>Suspender</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/panel.py" line="77"/>
        <source>Discontinue the selected medication</source>
        <translation>Suspender el medicamento seleccionado</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/panel.py" line="80"/>
        <source>In error…</source>
        <translation>Por error…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/panel.py" line="81"/>
        <source>Mark the selected medication entered in error</source>
        <translation>Marcar el medicamento seleccionado como registrado por error</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/panel.py" line="87"/>
        <source>Allergies &amp;&amp; diagnoses</source>
        <translation>Alergias y diagnósticos</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/medications/panel.py" line="88"/>
        <source>Edit allergies and diagnoses</source>
        <translation>Editar alergias y diagnósticos</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <location filename="../../fieldapp/qt/messages.py" line="12"/>
        <source>Enter an address such as https://office.example.org.</source>
        <translation>Escriba una dirección como https://office.example.org.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/messages.py" line="13"/>
        <source>The server address is too long.</source>
        <translation>La dirección del servidor es demasiado larga.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/messages.py" line="14"/>
        <source>The server address must not contain spaces or invisible characters.</source>
        <translation>La dirección del servidor no puede tener espacios ni caracteres invisibles.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/messages.py" line="15"/>
        <source>The server address must use plain letters, digits and punctuation (write an international name in its xn-- form).</source>
        <translation>La dirección del servidor solo puede tener letras sin acentos, números y signos de puntuación (escriba un nombre internacional en su forma xn--).</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/messages.py" line="20"/>
        <source>The server address must start with https:// (or http://). Enter an address such as https://office.example.org.</source>
        <translation>La dirección del servidor debe empezar por https:// (o http://). Escriba una dirección como https://office.example.org.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/messages.py" line="25"/>
        <source>The server address must not contain a user name or password.</source>
        <translation>La dirección del servidor no puede incluir un nombre de usuario ni una contraseña.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/messages.py" line="26"/>
        <source>The server address must not contain ? or #.</source>
        <translation>La dirección del servidor no puede tener ? ni #.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/messages.py" line="27"/>
        <source>The server address has a port number that cannot work.</source>
        <translation>La dirección del servidor tiene un número de puerto que no sirve.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/messages.py" line="31"/>
        <source>the office server did not answer in time; your changes are safe on this tablet</source>
        <translation>el servidor de la oficina no respondió a tiempo; sus cambios están a salvo en esta tableta</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/messages.py" line="34"/>
        <source>the office server cannot be reached (no connection); your changes are safe on this tablet</source>
        <translation>no se puede llegar al servidor de la oficina (no hay conexión); sus cambios están a salvo en esta tableta</translation>
    </message>
    <message>
        <location filename="../../fieldapp/domain/entities.py" line="86"/>
        <location filename="../../fieldapp/store/care.py" line="143"/>
        <source>say why it was entered in error</source>
        <translation>diga por qué se registró por error</translation>
    </message>
    <message>
        <location filename="../../fieldapp/domain/entities.py" line="150"/>
        <source>a visit cannot be checked out before it is checked in</source>
        <translation>no se puede registrar la salida de una visita antes de su entrada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/domain/entities.py" line="154"/>
        <source>check-out must not be before check-in</source>
        <translation>la salida no puede ser anterior a la entrada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/domain/entities.py" line="201"/>
        <source>a note needs some text</source>
        <translation>una nota necesita algo de texto</translation>
    </message>
    <message>
        <location filename="../../fieldapp/domain/entities.py" line="258"/>
        <source>draw the signature, or say why the person could not sign</source>
        <translation>dibuje la firma, o diga por qué la persona no pudo firmar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/domain/entities.py" line="303"/>
        <source>reason &apos;other&apos; needs a note</source>
        <translation>el motivo «otro» necesita una nota</translation>
    </message>
    <message>
        <location filename="../../fieldapp/domain/entities.py" line="367"/>
        <source>Field required</source>
        <translation>Campo obligatorio</translation>
    </message>
    <message>
        <location filename="../../fieldapp/domain/entities.py" line="368"/>
        <source>String should have at least %(min_length)s characters</source>
        <translation>El texto debe tener al menos %(min_length)s caracteres</translation>
    </message>
    <message>
        <location filename="../../fieldapp/domain/entities.py" line="371"/>
        <source>String should have at most %(max_length)s characters</source>
        <translation>El texto debe tener como máximo %(max_length)s caracteres</translation>
    </message>
    <message>
        <location filename="../../fieldapp/domain/entities.py" line="372"/>
        <source>String should match pattern &apos;%(pattern)s&apos;</source>
        <translation>El texto debe seguir el patrón &apos;%(pattern)s&apos;</translation>
    </message>
    <message>
        <location filename="../../fieldapp/domain/entities.py" line="373"/>
        <source>Input should be greater than %(gt)s</source>
        <translation>El valor debe ser mayor que %(gt)s</translation>
    </message>
    <message>
        <location filename="../../fieldapp/domain/entities.py" line="374"/>
        <source>Input should be greater than or equal to %(ge)s</source>
        <translation>El valor debe ser mayor o igual que %(ge)s</translation>
    </message>
    <message>
        <location filename="../../fieldapp/domain/entities.py" line="375"/>
        <source>Input should be less than %(lt)s</source>
        <translation>El valor debe ser menor que %(lt)s</translation>
    </message>
    <message>
        <location filename="../../fieldapp/domain/entities.py" line="376"/>
        <source>Input should be less than or equal to %(le)s</source>
        <translation>El valor debe ser menor o igual que %(le)s</translation>
    </message>
    <message>
        <location filename="../../fieldapp/domain/entities.py" line="377"/>
        <source>Input should be a valid integer, unable to parse string as an integer</source>
        <translation>El valor debe ser un número entero</translation>
    </message>
    <message>
        <location filename="../../fieldapp/domain/entities.py" line="380"/>
        <source>Input should be a valid number, unable to parse string as a number</source>
        <translation>El valor debe ser un número</translation>
    </message>
    <message>
        <location filename="../../fieldapp/domain/entities.py" line="383"/>
        <source>Input should be a valid date or datetime</source>
        <translation>El valor debe ser una fecha válida</translation>
    </message>
    <message>
        <location filename="../../fieldapp/domain/entities.py" line="384"/>
        <source>Input should be in a valid time format</source>
        <translation>El valor debe ser una hora válida</translation>
    </message>
    <message>
        <location filename="../../fieldapp/domain/entities.py" line="385"/>
        <location filename="../../fieldapp/domain/entities.py" line="386"/>
        <source>Input should be %(expected)s</source>
        <translation>El valor debe ser %(expected)s</translation>
    </message>
    <message>
        <location filename="../../fieldapp/domain/medications.py" line="51"/>
        <source>a date must be written as a date, for example 2026-11-02</source>
        <translation>una fecha debe escribirse como fecha, por ejemplo 2026-11-02</translation>
    </message>
    <message>
        <location filename="../../fieldapp/domain/medications.py" line="79"/>
        <source>the stop date must not be before the start date</source>
        <translation>la fecha de fin no puede ser anterior a la de inicio</translation>
    </message>
    <message>
        <location filename="../../fieldapp/domain/values.py" line="54"/>
        <source>text must be one line without control characters</source>
        <translation>el texto debe ser una sola línea sin caracteres de control</translation>
    </message>
    <message>
        <location filename="../../fieldapp/domain/values.py" line="57"/>
        <location filename="../../fieldapp/domain/values.py" line="70"/>
        <source>text must not contain invisible direction or byte-order marks</source>
        <translation>el texto no puede tener marcas invisibles de dirección ni de orden de bytes</translation>
    </message>
    <message>
        <location filename="../../fieldapp/domain/values.py" line="66"/>
        <source>text must not contain control characters</source>
        <translation>el texto no puede tener caracteres de control</translation>
    </message>
    <message>
        <location filename="../../fieldapp/domain/values.py" line="84"/>
        <source>date of birth must lie between 1880-01-01 and today</source>
        <translation>la fecha de nacimiento debe estar entre 1880-01-01 y hoy</translation>
    </message>
    <message>
        <location filename="../../fieldapp/domain/values.py" line="259"/>
        <source>reason &apos;other&apos; needs a comment</source>
        <translation>el motivo «otro» necesita un comentario</translation>
    </message>
    <message>
        <location filename="../../fieldapp/store/care.py" line="56"/>
        <source>the visit did not take place; its tasks are not recorded</source>
        <translation>la visita no se realizó; sus tareas no se registran</translation>
    </message>
    <message>
        <location filename="../../fieldapp/store/care.py" line="60"/>
        <location filename="../../fieldapp/store/repo.py" line="230"/>
        <source>the visit is signed; its task checklist can no longer change (add a note)</source>
        <translation>la visita está firmada; su lista de tareas ya no puede cambiar (añada una nota)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/store/care.py" line="76"/>
        <source>this task is not on the patient&apos;s plan of care</source>
        <translation>esta tarea no está en el plan de cuidados del paciente</translation>
    </message>
    <message>
        <location filename="../../fieldapp/store/care.py" line="139"/>
        <source>this was already marked entered in error</source>
        <translation>esto ya se marcó como registrado por error</translation>
    </message>
    <message>
        <location filename="../../fieldapp/store/exceptions.py" line="37"/>
        <source>scheduled</source>
        <translation>programada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/store/exceptions.py" line="38"/>
        <source>in progress</source>
        <translation>en curso</translation>
    </message>
    <message>
        <location filename="../../fieldapp/store/exceptions.py" line="39"/>
        <source>completed</source>
        <translation>completada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/store/exceptions.py" line="40"/>
        <source>missed</source>
        <translation>no realizada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/store/exceptions.py" line="41"/>
        <source>cancelled</source>
        <translation>cancelada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/store/exceptions.py" line="176"/>
        <source>the office cancelled this visit: %(reason)s; call the office if you are there</source>
        <translation>la oficina canceló esta visita: %(reason)s; llame a la oficina si está allí</translation>
    </message>
    <message>
        <location filename="../../fieldapp/store/exceptions.py" line="180"/>
        <source>the office cancelled this visit; call the office if you are there</source>
        <translation>la oficina canceló esta visita; llame a la oficina si está allí</translation>
    </message>
    <message>
        <location filename="../../fieldapp/store/exceptions.py" line="203"/>
        <source>this visit is %(status)s; it cannot be marked missed</source>
        <translation>esta visita está %(status)s; no se puede marcar como no realizada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/store/exceptions.py" line="208"/>
        <source>say why the visit was missed</source>
        <translation>diga por qué no se realizó la visita</translation>
    </message>
    <message>
        <location filename="../../fieldapp/store/exceptions.py" line="247"/>
        <source>this visit&apos;s missed mark has already been sent to the office; call the office</source>
        <translation>la marca de visita no realizada ya se envió a la oficina; llame a la oficina</translation>
    </message>
    <message>
        <location filename="../../fieldapp/store/repo.py" line="140"/>
        <source>this visit is already signed; add a note to amend it</source>
        <translation>esta visita ya está firmada; añada una nota para corregirla</translation>
    </message>
    <message>
        <location filename="../../fieldapp/store/repo.py" line="148"/>
        <source>the visit changed while it was being signed</source>
        <translation>la visita cambió mientras se firmaba</translation>
    </message>
    <message>
        <location filename="../../fieldapp/store/repo.py" line="219"/>
        <source>the visit is signed; record a new observation instead</source>
        <translation>la visita está firmada; registre una nueva medición en su lugar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/store/workflows.py" line="84"/>
        <source>this visit is already checked in</source>
        <translation>ya se registró la entrada de esta visita</translation>
    </message>
    <message>
        <location filename="../../fieldapp/store/workflows.py" line="101"/>
        <source>check in first (or correct the check-in time)</source>
        <translation>registre primero la entrada (o corrija la hora de entrada)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/store/workflows.py" line="103"/>
        <source>this visit is already checked out</source>
        <translation>ya se registró la salida de esta visita</translation>
    </message>
    <message>
        <location filename="../../fieldapp/domain/care.py" line="169"/>
        <source>say why: patient refused needs a reason</source>
        <translation>diga por qué: «el paciente se negó» necesita un motivo</translation>
    </message>
    <message>
        <location filename="../../fieldapp/domain/care.py" line="170"/>
        <source>say why: could not do needs a reason</source>
        <translation>diga por qué: «no se pudo» necesita un motivo</translation>
    </message>
</context>
<context>
    <name>Navigation</name>
    <message>
        <location filename="../../fieldapp/app.py" line="142"/>
        <source>Today</source>
        <translation>Hoy</translation>
    </message>
    <message>
        <location filename="../../fieldapp/app.py" line="145"/>
        <source>Patients</source>
        <translation>Pacientes</translation>
    </message>
    <message>
        <location filename="../../fieldapp/app.py" line="150"/>
        <source>Conflicts</source>
        <translation>Conflictos</translation>
    </message>
    <message>
        <location filename="../../fieldapp/app.py" line="163"/>
        <source>End of day</source>
        <translation>Fin del día</translation>
    </message>
    <message>
        <location filename="../../fieldapp/app.py" line="166"/>
        <source>Settings</source>
        <translation>Ajustes</translation>
    </message>
</context>
<context>
    <name>NotesPanel</name>
    <message>
        <location filename="../../fieldapp/ui/visit/notes.py" line="32"/>
        <source>Notes</source>
        <translation>Notas</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/notes.py" line="33"/>
        <source>Notes of this visit</source>
        <translation>Notas de esta visita</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/notes.py" line="42"/>
        <source>New note</source>
        <translation>Nota nueva</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/notes.py" line="43"/>
        <location filename="../../fieldapp/ui/visit/notes.py" line="99"/>
        <source>Write a note…</source>
        <translation>Escriba una nota…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/notes.py" line="47"/>
        <location filename="../../fieldapp/ui/visit/notes.py" line="73"/>
        <source>Add note</source>
        <translation>Agregar nota</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/notes.py" line="47"/>
        <source>Add the note</source>
        <translation>Agregar la nota</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/notes.py" line="48"/>
        <source>Amend selected</source>
        <translation>Enmendar la seleccionada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/notes.py" line="48"/>
        <source>Amend the selected note</source>
        <translation>Enmendar la nota seleccionada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/notes.py" line="49"/>
        <source>Cancel amendment</source>
        <translation>Cancelar la enmienda</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/notes.py" line="49"/>
        <source>Cancel the amendment</source>
        <translation>Cancelar la enmienda</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/notes.py" line="73"/>
        <source>Save amendment</source>
        <translation>Guardar la enmienda</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/notes.py" line="84"/>
        <source>Amending the note of {time}: “{text}”</source>
        <translation>Enmendando la nota de las {time}: “{text}”</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/notes.py" line="90"/>
        <source>Write the correction or addition…</source>
        <translation>Escriba la corrección o el agregado…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/notes.py" line="114"/>
        <source>No notes yet.</source>
        <translation>Todavía no hay notas.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/notes.py" line="131"/>
        <source>amends the note of {time}</source>
        <translation>enmienda la nota de las {time}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/notes.py" line="135"/>
        <source>amendment</source>
        <translation>enmienda</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/notes.py" line="138"/>
        <source>amended below</source>
        <translation>enmendada abajo</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/notes.py" line="145"/>
        <source>Note {head}: {text}</source>
        <translation>Nota {head}: {text}</translation>
    </message>
</context>
<context>
    <name>NoticePanel</name>
    <message>
        <location filename="../../fieldapp/ui/notices.py" line="27"/>
        <source>Changes from the office</source>
        <translation>Cambios de la oficina</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/notices.py" line="38"/>
        <source>Seen</source>
        <translation>Visto</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/notices.py" line="38"/>
        <source>Mark the changes from the office as seen</source>
        <translation>Marcar como vistos los cambios de la oficina</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/notices.py" line="65"/>
        <source>1 change from the office</source>
        <translation>1 cambio de la oficina</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/notices.py" line="67"/>
        <source>{count} changes from the office</source>
        <translation>{count} cambios de la oficina</translation>
    </message>
</context>
<context>
    <name>PatientList</name>
    <message>
        <location filename="../../fieldapp/qt/lists.py" line="54"/>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/lists.py" line="55"/>
        <source>Record no.</source>
        <translation>N.º de expediente</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/lists.py" line="56"/>
        <source>Born</source>
        <translation>Nacimiento</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/lists.py" line="57"/>
        <source>Town</source>
        <translation>Localidad</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/lists.py" line="58"/>
        <source>Allergies</source>
        <translation>Alergias</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/lists.py" line="127"/>
        <source>Yes</source>
        <translation>Sí</translation>
    </message>
</context>
<context>
    <name>PatientRecordScreen</name>
    <message>
        <location filename="../../fieldapp/ui/patient_record.py" line="38"/>
        <source>✓ Saved on this tablet</source>
        <translation>✓ Guardado en esta tableta</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patient_record.py" line="57"/>
        <source>Given name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patient_record.py" line="58"/>
        <source>Family name</source>
        <translation>Apellidos</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patient_record.py" line="59"/>
        <source>Phone</source>
        <translation>Teléfono</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patient_record.py" line="60"/>
        <source>Street and number</source>
        <translation>Calle y número</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patient_record.py" line="61"/>
        <source>Apartment, floor</source>
        <translation>Apartamento, piso</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patient_record.py" line="62"/>
        <source>Town</source>
        <translation>Ciudad</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patient_record.py" line="63"/>
        <source>Postal code</source>
        <translation>Código postal</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patient_record.py" line="64"/>
        <source>Emergency contact</source>
        <translation>Contacto de emergencia</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patient_record.py" line="66"/>
        <source>Relationship</source>
        <translation>Parentesco</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patient_record.py" line="69"/>
        <source>Emergency contact phone</source>
        <translation>Teléfono del contacto de emergencia</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patient_record.py" line="75"/>
        <source>This cannot be empty.</source>
        <translation>No puede quedar vacío.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patient_record.py" line="78"/>
        <source>Needed as well.</source>
        <translation>También es necesario.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patient_record.py" line="79"/>
        <source>Too short for a phone number.</source>
        <translation>Demasiado corto para un número de teléfono.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patient_record.py" line="90"/>
        <source>Use digits, spaces, + ( ) - and . only.</source>
        <translation>Use solo dígitos, espacios, + ( ) - y .</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patient_record.py" line="92"/>
        <source>Use letters, digits, spaces and dashes only.</source>
        <translation>Use solo letras, dígitos, espacios y guiones.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patient_record.py" line="98"/>
        <source>Too long. At most {count} characters.</source>
        <translation>Demasiado largo. Como máximo {count} caracteres.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patient_record.py" line="168"/>
        <source>Allergies</source>
        <translation>Alergias</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patient_record.py" line="171"/>
        <source>This patient is no longer on this tablet.</source>
        <translation>Este paciente ya no está en esta tableta.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patient_record.py" line="178"/>
        <source>Diagnoses</source>
        <translation>Diagnósticos</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patient_record.py" line="179"/>
        <source>Care plan</source>
        <translation>Plan de cuidado</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patient_record.py" line="180"/>
        <source>Visit history</source>
        <translation>Historial de visitas</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patient_record.py" line="181"/>
        <source>Task history</source>
        <translation>Historial de tareas</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patient_record.py" line="183"/>
        <source>Notes</source>
        <translation>Notas</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patient_record.py" line="164"/>
        <source>Patient record</source>
        <translation>Expediente del paciente</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patient_record.py" line="193"/>
        <source>Contact details</source>
        <translation>Datos de contacto</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patient_record.py" line="196"/>
        <source>Changes are saved on this tablet as soon as you leave a field, and sent to the office at the next sync.</source>
        <translation>Los cambios se guardan en esta tableta en cuanto sale de un campo, y se envían a la oficina en la próxima sincronización.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patient_record.py" line="244"/>
        <source>Patient not on this tablet</source>
        <translation>El paciente no está en esta tableta</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patient_record.py" line="254"/>
        <source>No care plan recorded.</source>
        <translation>No hay plan de cuidado registrado.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patient_record.py" line="264"/>
        <source>{mrn} · born {born} (age {age}) · {sex}</source>
        <translation>{mrn} · nació el {born} ({age} años) · {sex}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patient_record.py" line="273"/>
        <source>⚠ ALLERGIES: {list}</source>
        <translation>⚠ ALERGIAS: {list}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patient_record.py" line="276"/>
        <source>No known allergies recorded.</source>
        <translation>No hay alergias conocidas registradas.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patient_record.py" line="284"/>
        <source>No diagnoses recorded.</source>
        <translation>No hay diagnósticos registrados.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patient_record.py" line="294"/>
        <source>signed</source>
        <translation>firmada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patient_record.py" line="296"/>
        <source>Open visit of {when}, {status}</source>
        <translation>Abrir la visita del {when}, {status}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patient_record.py" line="300"/>
        <source>No visits on this tablet.</source>
        <translation>No hay visitas en esta tableta.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patient_record.py" line="306"/>
        <source>Amendment</source>
        <translation>Enmienda</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patient_record.py" line="309"/>
        <source>No notes yet.</source>
        <translation>Todavía no hay notas.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patient_record.py" line="342"/>
        <source>Not saved: {reason}</source>
        <translation>No se guardó: {reason}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patient_record.py" line="348"/>
        <source>Saved on this tablet at {time}; it goes to the office at the next sync.</source>
        <translation>Guardado en esta tableta a las {time}; se envía a la oficina en la próxima sincronización.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patient_record.py" line="383"/>
        <source>This value was not accepted.</source>
        <translation>No se aceptó este valor.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patient_record.py" line="385"/>
        <source>Not saved: correct the field marked in red.</source>
        <translation>No se guardó: corrija el campo marcado en rojo.</translation>
    </message>
</context>
<context>
    <name>PatientsScreen</name>
    <message>
        <location filename="../../fieldapp/ui/patients.py" line="47"/>
        <source>Search by name or record number</source>
        <translation>Buscar por nombre o número de expediente</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patients.py" line="48"/>
        <source>Search patients</source>
        <translation>Buscar pacientes</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patients.py" line="50"/>
        <source>Type part of a name or record number; the list updates</source>
        <translation>Escriba parte de un nombre o número de expediente; la lista se actualiza</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patients.py" line="52"/>
        <source>Clear</source>
        <translation>Borrar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patients.py" line="52"/>
        <source>Clear search</source>
        <translation>Borrar la búsqueda</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patients.py" line="71"/>
        <location filename="../../fieldapp/ui/patients.py" line="82"/>
        <source>Patients</source>
        <translation>Pacientes</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patients.py" line="83"/>
        <source>Press Enter or tap a patient to open their record</source>
        <translation>Pulse Intro o toque un paciente para abrir su expediente</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patients.py" line="164"/>
        <source>No patient matches this search.</source>
        <translation>Ningún paciente coincide con esta búsqueda.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patients.py" line="166"/>
        <source>No patients on this tablet yet.</source>
        <translation>Todavía no hay pacientes en esta tableta.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patients.py" line="169"/>
        <source>1 patient matches</source>
        <translation>1 paciente coincide</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patients.py" line="169"/>
        <source>1 patient on this tablet</source>
        <translation>1 paciente en esta tableta</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patients.py" line="171"/>
        <source>{count} patients match</source>
        <translation>{count} pacientes coinciden</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patients.py" line="173"/>
        <source>{count} patients on this tablet</source>
        <translation>{count} pacientes en esta tableta</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <location filename="../../fieldapp/ui/visit/verification.py" line="55"/>
        <source>Reasons</source>
        <translation>Motivos</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/verification.py" line="65"/>
        <source>Note</source>
        <translation>Nota</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/verification.py" line="68"/>
        <source>Note for the office (required for &apos;Other&apos;)</source>
        <translation>Nota para la oficina (obligatoria para &apos;Otro&apos;)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/verification.py" line="71"/>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/verification.py" line="89"/>
        <source>Choose a reason from the list.</source>
        <translation>Elija un motivo de la lista.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/verification.py" line="91"/>
        <source>Say what happened: the reason &apos;Other&apos; needs a note.</source>
        <translation>Diga qué pasó: el motivo &apos;Otro&apos; necesita una nota.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/verification.py" line="103"/>
        <source>Mark this visit missed?</source>
        <translation>¿Marcar esta visita como no realizada?</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/verification.py" line="104"/>
        <source>Mark missed</source>
        <translation>Marcar como no realizada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/verification.py" line="107"/>
        <source>The office is told why. You can undo this until the tablet next syncs.</source>
        <translation>La oficina recibe el motivo. Puede deshacerlo hasta la próxima sincronización de la tableta.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/verification.py" line="127"/>
        <source>{what}: why?</source>
        <translation>{what}: ¿por qué?</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/verification.py" line="128"/>
        <source>Save reason</source>
        <translation>Guardar el motivo</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/verification.py" line="134"/>
        <source>The office reviews this visit.</source>
        <translation>La oficina revisará esta visita.</translation>
    </message>
</context>
<context>
    <name>Receipt</name>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/receipt.py" line="24"/>
        <source>arrived</source>
        <translation>llegó</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/receipt.py" line="25"/>
        <source>DIFFERENT at the office</source>
        <translation>DISTINTO en la oficina</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/receipt.py" line="26"/>
        <source>MISSING at the office</source>
        <translation>FALTA en la oficina</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/receipt.py" line="27"/>
        <source>not sent yet</source>
        <translation>sin enviar todavía</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/receipt.py" line="28"/>
        <source>at the office, not on this tablet</source>
        <translation>en la oficina, no en esta tableta</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/receipt.py" line="41"/>
        <source>The office&apos;s receipt</source>
        <translation>Recibo de la oficina</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/receipt.py" line="44"/>
        <source>Receipt summary</source>
        <translation>Resumen del recibo</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/receipt.py" line="47"/>
        <source>What arrived at the office</source>
        <translation>Lo que llegó a la oficina</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/receipt.py" line="82"/>
        <source>tablet {tablet}
office {office}</source>
        <translation>tableta {tablet}
oficina {office}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/receipt.py" line="97"/>
        <source>The office received your report at {time}.</source>
        <translation>La oficina recibió su informe a las {time}.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/receipt.py" line="101"/>
        <source>All {count} records of the day arrived exactly as they are on this tablet.</source>
        <translation>Los {count} registros del día llegaron exactamente como están en esta tableta.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/receipt.py" line="107"/>
        <source>{arrived} of {total} records arrived as they are on this tablet.</source>
        <translation>{arrived} de {total} registros llegaron como están en esta tableta.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/receipt.py" line="112"/>
        <source>The office holds a different report PDF.</source>
        <translation>La oficina tiene un PDF del informe distinto.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/receipt.py" line="119"/>
        <source>Sync now to send what is not sent yet, then submit again.</source>
        <translation>Sincronice para enviar lo que falta y luego vuelva a enviar el informe.</translation>
    </message>
</context>
<context>
    <name>Records</name>
    <message>
        <location filename="../../fieldapp/qt/records.py" line="117"/>
        <source>A patient no longer on this tablet</source>
        <translation>Un paciente que ya no está en esta tableta</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/records.py" line="118"/>
        <source>Patient {name}</source>
        <translation>Paciente {name}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/records.py" line="132"/>
        <source>unknown patient</source>
        <translation>paciente desconocido</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/records.py" line="136"/>
        <source>Visit</source>
        <translation>Visita</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/records.py" line="137"/>
        <source>Note of the visit</source>
        <translation>Nota de la visita</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/records.py" line="138"/>
        <source>Vital sign of the visit</source>
        <translation>Signo vital de la visita</translation>
    </message>
</context>
<context>
    <name>RetiredScreen</name>
    <message>
        <location filename="../../fieldapp/ui/retired.py" line="19"/>
        <source>This tablet was removed from service</source>
        <translation>Esta tableta se retiró del servicio</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/retired.py" line="20"/>
        <source>Erasing this tablet&apos;s patient records, files and keys…</source>
        <translation>Borrando de esta tableta los registros de pacientes, los archivos y las claves…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/retired.py" line="29"/>
        <source>fieldapp – removed from service</source>
        <translation>fieldapp – retirada del servicio</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/retired.py" line="29"/>
        <source>Tablet removed from service</source>
        <translation>Tableta retirada del servicio</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/retired.py" line="41"/>
        <source>What happened</source>
        <translation>Qué pasó</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/retired.py" line="43"/>
        <source>Erasing</source>
        <translation>Borrando</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/retired.py" line="48"/>
        <source>Once the office has set it up for a worker, tap &quot;Set up again&quot; and sign in with the account they give you: the tablet gets a new identity and downloads that worker&apos;s records.</source>
        <translation>Cuando la oficina la haya preparado para otra persona, toque «Configurar de nuevo» e inicie sesión con la cuenta que le den: la tableta recibe una identidad nueva y descarga los registros de esa persona.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/retired.py" line="53"/>
        <source>Set up again</source>
        <translation>Configurar de nuevo</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/retired.py" line="53"/>
        <source>Set up this tablet again</source>
        <translation>Configurar esta tableta de nuevo</translation>
    </message>
</context>
<context>
    <name>ScheduleNotice</name>
    <message>
        <location filename="../../fieldapp/readmodels/notices.py" line="73"/>
        <source>a patient</source>
        <translation>un paciente</translation>
    </message>
    <message>
        <location filename="../../fieldapp/readmodels/notices.py" line="77"/>
        <source>%(start)s %(patient)s is now another worker&apos;s visit</source>
        <translation>%(start)s %(patient)s ahora es una visita de otro trabajador</translation>
    </message>
    <message>
        <location filename="../../fieldapp/readmodels/notices.py" line="84"/>
        <source>New visit: %(start)s %(patient)s. Note from the office: %(notes)s</source>
        <translation>Visita nueva: %(start)s %(patient)s. Nota de la oficina: %(notes)s</translation>
    </message>
    <message>
        <location filename="../../fieldapp/readmodels/notices.py" line="90"/>
        <source>New visit: %(start)s %(patient)s</source>
        <translation>Visita nueva: %(start)s %(patient)s</translation>
    </message>
    <message>
        <location filename="../../fieldapp/readmodels/notices.py" line="105"/>
        <source>%(start)s %(patient)s cancelled by the office: %(reason)s</source>
        <translation>%(start)s %(patient)s: cancelada por la oficina. Motivo: %(reason)s</translation>
    </message>
    <message>
        <location filename="../../fieldapp/readmodels/notices.py" line="111"/>
        <source>%(start)s %(patient)s cancelled by the office</source>
        <translation>%(start)s %(patient)s: cancelada por la oficina</translation>
    </message>
    <message>
        <location filename="../../fieldapp/readmodels/notices.py" line="115"/>
        <source>%(start)s %(patient)s: the office cancelled it after you started: %(reason)s; your visit was kept</source>
        <translation>%(start)s %(patient)s: la oficina la canceló después de que usted empezó (motivo: %(reason)s); su visita se conservó</translation>
    </message>
    <message>
        <location filename="../../fieldapp/readmodels/notices.py" line="125"/>
        <source>%(start)s %(patient)s restored by the office: it is on again</source>
        <translation>%(start)s %(patient)s: la oficina la restableció: vuelve a estar programada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/readmodels/notices.py" line="134"/>
        <source>%(start)s %(patient)s moved to %(new_start)s–%(new_end)s</source>
        <translation>%(start)s %(patient)s: cambiada a %(new_start)s–%(new_end)s</translation>
    </message>
    <message>
        <location filename="../../fieldapp/readmodels/notices.py" line="140"/>
        <source>%(start)s %(patient)s: %(changes)s</source>
        <translation>%(start)s %(patient)s: %(changes)s</translation>
    </message>
    <message>
        <location filename="../../fieldapp/readmodels/notices.py" line="160"/>
        <source>service now %(service)s</source>
        <translation>ahora el servicio es %(service)s</translation>
    </message>
    <message>
        <location filename="../../fieldapp/readmodels/notices.py" line="162"/>
        <source>now for another patient</source>
        <translation>ahora es para otro paciente</translation>
    </message>
    <message>
        <location filename="../../fieldapp/readmodels/notices.py" line="167"/>
        <source>note from the office: %(notes)s</source>
        <translation>nota de la oficina: %(notes)s</translation>
    </message>
    <message>
        <location filename="../../fieldapp/readmodels/notices.py" line="170"/>
        <source>the office&apos;s note was removed</source>
        <translation>se quitó la nota de la oficina</translation>
    </message>
    <message>
        <location filename="../../fieldapp/readmodels/notices.py" line="171"/>
        <source>changed by the office</source>
        <translation>cambiada por la oficina</translation>
    </message>
</context>
<context>
    <name>Sections</name>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="92"/>
        <source>End-of-day report</source>
        <translation>Informe de fin del día</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="104"/>
        <source>All times {zone}</source>
        <translation>Todas las horas {zone}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="112"/>
        <source>Visits scheduled</source>
        <translation>Visitas programadas</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="113"/>
        <source>Completed</source>
        <translation>Completadas</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="114"/>
        <source>Missed</source>
        <translation>No realizadas</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="115"/>
        <source>Not finished</source>
        <translation>Sin terminar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="116"/>
        <source>Unsigned</source>
        <translation>Sin firmar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="117"/>
        <source>Missing EVV</source>
        <translation>Falta EVV</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="118"/>
        <location filename="../../fieldapp/reports/sections.py" line="277"/>
        <source>Notes</source>
        <translation>Notas</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="119"/>
        <location filename="../../fieldapp/reports/sections.py" line="283"/>
        <source>Vitals</source>
        <translation>Signos vitales</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="120"/>
        <source>Unsent changes</source>
        <translation>Cambios sin enviar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="121"/>
        <source>Open conflicts</source>
        <translation>Conflictos abiertos</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="145"/>
        <source>Ready to submit: every visit is finished or marked missed, signed and verified, and everything has reached the office.</source>
        <translation>Listo para enviar: cada visita está terminada o marcada como no realizada, firmada y verificada, y todo ha llegado a la oficina.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="153"/>
        <source>Needs attention: {problems}.</source>
        <translation>Requiere atención: {problems}.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="171"/>
        <source>{count} visit(s) not finished or marked missed</source>
        <translation>{count} visita(s) sin terminar ni marcar como no realizada(s)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="173"/>
        <source>{count} visit(s) not signed</source>
        <translation>{count} visita(s) sin firmar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="176"/>
        <source>{count} visit(s) missing visit-verification elements</source>
        <translation>{count} visita(s) con datos de verificación de visitas incompletos</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="182"/>
        <source>{count} change(s) not yet sent to the office</source>
        <translation>{count} cambio(s) todavía sin enviar a la oficina</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="185"/>
        <source>{count} change(s) refused by the office</source>
        <translation>{count} cambio(s) rechazado(s) por la oficina</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="187"/>
        <source>{count} open conflict(s)</source>
        <translation>{count} conflicto(s) abierto(s)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="192"/>
        <source>Time</source>
        <translation>Hora</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="193"/>
        <source>Patient</source>
        <translation>Paciente</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="194"/>
        <source>Service</source>
        <translation>Servicio</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="195"/>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="196"/>
        <source>In – out</source>
        <translation>Horario</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="197"/>
        <source>Hours</source>
        <translation>Horas</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="198"/>
        <source>Location</source>
        <translation>Lugar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="199"/>
        <source>EVV</source>
        <translation>EVV</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="200"/>
        <source>Signed</source>
        <translation>Firmada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="205"/>
        <source>Visits</source>
        <translation>Visitas</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="219"/>
        <source>No visits were scheduled for this day.</source>
        <translation>No había visitas programadas para este día.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="223"/>
        <source>Total hours worked: {hours} (visits with check-in and check-out)</source>
        <translation>Total de horas trabajadas: {hours} (visitas con entrada y salida)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="236"/>
        <source>complete</source>
        <translation>completa</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="238"/>
        <source>missing: {elements}</source>
        <translation>falta: {elements}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="242"/>
        <source>no</source>
        <translation>no</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="244"/>
        <source>unable</source>
        <translation>no pudo</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="244"/>
        <source>yes</source>
        <translation>sí</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="285"/>
        <source>No vitals recorded.</source>
        <translation>No se registraron signos vitales.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="289"/>
        <source>Signature</source>
        <translation>Firma</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="301"/>
        <source>Record no. {mrn}</source>
        <translation>Expediente n.º {mrn}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="302"/>
        <source>Service {code}</source>
        <translation>Servicio {code}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="309"/>
        <source>{status}: the patient was not seen.</source>
        <translation>{status}: no se vio al paciente.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="312"/>
        <source>Check-in</source>
        <translation>Entrada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="313"/>
        <source>Check-out</source>
        <translation>Salida</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="317"/>
        <source>not recorded</source>
        <translation>no registrado</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="319"/>
        <source>Location: {place}</source>
        <translation>Lugar: {place}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="322"/>
        <source>To fix: {problems}</source>
        <translation>Por corregir: {problems}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="332"/>
        <source>Tasks (plan of care)</source>
        <translation>Tareas (plan de cuidado)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="335"/>
        <source>as needed, not done</source>
        <translation>según necesidad, no se hizo</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="335"/>
        <source>LEFT OPEN</source>
        <translation>PENDIENTE</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="339"/>
        <source>{outcome}, ENTERED IN ERROR: {reason}</source>
        <translation>{outcome}, REGISTRADO POR ERROR: {reason}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="353"/>
        <source>No notes.</source>
        <translation>Sin notas.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="360"/>
        <source>amends the note of {time}</source>
        <translation>enmienda la nota de las {time}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="362"/>
        <source>amendment</source>
        <translation>enmienda</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="365"/>
        <location filename="../../fieldapp/reports/sections.py" line="382"/>
        <source>added after signing</source>
        <translation>agregado después de firmar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="381"/>
        <source>entered in error</source>
        <translation>ingresado por error</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="399"/>
        <source>Not settled with the office</source>
        <translation>Pendiente con la oficina</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="404"/>
        <source>{count} change(s) were refused by the office and are set aside on the tablet.</source>
        <translation>La oficina rechazó {count} cambio(s), que quedan apartados en la tableta.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="412"/>
        <source>Conflict: {what} ({reason})</source>
        <translation>Conflicto: {what} ({reason})</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="418"/>
        <source>{label}: not recorded</source>
        <translation>{label}: no registrada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="421"/>
        <source>none</source>
        <translation>ninguna</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="425"/>
        <source>(corrected by hand, reason: {why}{comment}; recorded reading: {recorded})</source>
        <translation>(corregida a mano, motivo: {why}{comment}; hora registrada: {recorded})</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="437"/>
        <source>dddd d MMMM yyyy</source>
        <translation>dddd d &apos;de&apos; MMMM &apos;de&apos; yyyy</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="457"/>
        <source>date</source>
        <translation>fecha</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="458"/>
        <source>location</source>
        <translation>lugar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="459"/>
        <source>times</source>
        <translation>horas</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="460"/>
        <source>service</source>
        <translation>servicio</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="461"/>
        <source>recipient</source>
        <translation>paciente</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/sections.py" line="462"/>
        <source>provider</source>
        <translation>trabajador</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/signed.py" line="48"/>
        <source>Not signed.</source>
        <translation>Sin firmar.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/signed.py" line="93"/>
        <source>Signed {time}</source>
        <translation>Firmado a las {time}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/signed.py" line="97"/>
        <source>Unable to sign: {reason}</source>
        <translation>No pudo firmar: {reason}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/signed.py" line="99"/>
        <source>Agreed to: “{meaning}”</source>
        <translation>Aceptó: “{meaning}”</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/signed.py" line="101"/>
        <source>Attests visit content SHA-256 {digest}</source>
        <translation>Da fe del contenido de la visita, SHA-256 {digest}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/signed.py" line="104"/>
        <source>Image SHA-256 {digest}</source>
        <translation>SHA-256 de la imagen {digest}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/reports/signed.py" line="70"/>
        <source>signature image not on this tablet</source>
        <translation>la imagen de la firma no está en esta tableta</translation>
    </message>
</context>
<context>
    <name>SettingsScreen</name>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="34"/>
        <source>Every minute</source>
        <translation>Cada minuto</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="35"/>
        <source>Every 5 minutes</source>
        <translation>Cada 5 minutos</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="36"/>
        <source>Every 15 minutes</source>
        <translation>Cada 15 minutos</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="37"/>
        <source>Every 30 minutes</source>
        <translation>Cada 30 minutos</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="40"/>
        <source>After 1 minute without use</source>
        <translation>Tras 1 minuto sin usarla</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="41"/>
        <source>After 2 minutes without use</source>
        <translation>Tras 2 minutos sin usarla</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="42"/>
        <source>After 5 minutes without use</source>
        <translation>Tras 5 minutos sin usarla</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="43"/>
        <source>After 10 minutes without use</source>
        <translation>Tras 10 minutos sin usarla</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="44"/>
        <source>After 15 minutes without use</source>
        <translation>Tras 15 minutos sin usarla</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="47"/>
        <source>Standard</source>
        <translation>Normales</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="48"/>
        <source>High contrast (bright sunlight)</source>
        <translation>Alto contraste (para pleno sol)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="51"/>
        <source>worker</source>
        <translation>personal de campo</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="52"/>
        <source>office</source>
        <translation>oficina</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="53"/>
        <source>administrator</source>
        <translation>administración</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="56"/>
        <source>Small</source>
        <translation>Pequeño</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="57"/>
        <source>Normal</source>
        <translation>Normal</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="58"/>
        <source>Large</source>
        <translation>Grande</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="64"/>
        <source>Sign out?</source>
        <translation>¿Cerrar sesión?</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="70"/>
        <source>Stay signed in</source>
        <translation>Seguir con la sesión abierta</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="98"/>
        <location filename="../../fieldapp/ui/settings.py" line="99"/>
        <source>Settings</source>
        <translation>Ajustes</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="113"/>
        <source>Account</source>
        <translation>Cuenta</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="117"/>
        <source>Signed in as {user} ({role})</source>
        <translation>Sesión de {user} ({role})</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="128"/>
        <source>Opened offline: sync starts by itself when the office server can be reached.</source>
        <translation>Abierta sin conexión: la sincronización empieza sola cuando se pueda llegar al servidor de la oficina.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="133"/>
        <source>This tablet: device {id}</source>
        <translation>Esta tableta: dispositivo {id}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="136"/>
        <source>Data folder: {folder}</source>
        <translation>Carpeta de datos: {folder}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="138"/>
        <source>fieldapp version {version}</source>
        <translation>fieldapp, versión {version}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="143"/>
        <source>Language and display</source>
        <translation>Idioma y pantalla</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="145"/>
        <source>Same as this tablet</source>
        <translation>El de esta tableta</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="146"/>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="148"/>
        <source>Colours</source>
        <translation>Colores</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="151"/>
        <source>Text size</source>
        <translation>Tamaño del texto</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="152"/>
        <source>Colours and text size change at once.</source>
        <translation>Los colores y el tamaño del texto cambian al momento.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="173"/>
        <source>Office server</source>
        <translation>Servidor de la oficina</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="175"/>
        <location filename="../../fieldapp/ui/settings.py" line="176"/>
        <source>Server address</source>
        <translation>Dirección del servidor</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="178"/>
        <source>Save</source>
        <translation>Guardar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="178"/>
        <source>Save server address</source>
        <translation>Guardar la dirección del servidor</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="184"/>
        <source>A new address is used from the next sign-in.</source>
        <translation>Una dirección nueva se usa a partir del próximo inicio de sesión.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="192"/>
        <source>Sync</source>
        <translation>Sincronización</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="193"/>
        <source>Check with the office</source>
        <translation>Consultar con la oficina</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="194"/>
        <source>How often to sync</source>
        <translation>Cada cuánto sincronizar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="197"/>
        <source>Every {minutes} minutes</source>
        <translation>Cada {minutes} minutos</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="199"/>
        <source>Your changes are also sent a few seconds after you save them, and as soon as the connection comes back.</source>
        <translation>Sus cambios también se envían unos segundos después de guardarlos, y en cuanto vuelve la conexión.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="208"/>
        <source>Screen lock</source>
        <translation>Bloqueo de pantalla</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="209"/>
        <location filename="../../fieldapp/ui/settings.py" line="210"/>
        <source>Lock the tablet</source>
        <translation>Bloquear la tableta</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="213"/>
        <source>After {minutes} minutes without use</source>
        <translation>Tras {minutes} minutos sin usarla</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="215"/>
        <source>The tablet also locks when Windows locks and when you tap &quot;Lock now&quot;. Your password opens it again, without a connection; what you were doing stays as it was.</source>
        <translation>La tableta también se bloquea cuando se bloquea Windows y cuando usted toca «Bloquear ahora». Su contraseña la vuelve a abrir, sin conexión; lo que estaba haciendo queda como estaba.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="67"/>
        <location filename="../../fieldapp/ui/settings.py" line="252"/>
        <location filename="../../fieldapp/ui/settings.py" line="262"/>
        <source>Sign out</source>
        <translation>Cerrar sesión</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="256"/>
        <source>Signing out ends your session on this tablet. Your records and unsent changes stay here and are sent after the next sign-in, which needs a connection.</source>
        <translation>Al cerrar sesión termina su sesión en esta tableta. Sus registros y los cambios sin enviar se quedan aquí y se envían al volver a iniciar sesión, lo que necesita conexión.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="278"/>
        <source>Saved. The new address is used from the next sign-in.</source>
        <translation>Guardado. La dirección nueva se usa a partir del próximo inicio de sesión.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="284"/>
        <source>Saved; applies now.</source>
        <translation>Guardado; ya está en uso.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="202"/>
        <source>Saved; applies from the next start of the app.</source>
        <translation>Guardado; se aplica la próxima vez que abra la aplicación.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="218"/>
        <source>Saved; applies from the next sign-in.</source>
        <translation>Guardado; se aplica a partir del próximo inicio de sesión.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="293"/>
        <source>Saved. The app already speaks this language.</source>
        <translation>Guardado. La aplicación ya está en este idioma.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="295"/>
        <source>Saved; the screens change language now.</source>
        <translation>Guardado; las pantallas cambian de idioma ahora.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="299"/>
        <source>Saved. The app speaks the new language from its next start: something you typed is not saved yet.</source>
        <translation>Guardado. La aplicación usará el nuevo idioma desde el próximo inicio: algo que usted escribió todavía no se guardó.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="305"/>
        <source>Saved. The app speaks the new language from its next start.</source>
        <translation>Guardado. La aplicación cambiará de idioma la próxima vez que la abra.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="311"/>
        <source>Saved; shown now.</source>
        <translation>Guardado; ya se ve así.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="321"/>
        <source>1 change has not reached the office yet. It stays on this tablet and is sent after you sign in again (which needs a connection). Sign out now?</source>
        <translation>1 cambio todavía no ha llegado a la oficina. Se queda en esta tableta y se envía cuando vuelva a iniciar sesión (lo que necesita conexión). ¿Cerrar sesión ahora?</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="326"/>
        <source>{count} changes have not reached the office yet. They stay on this tablet and are sent after you sign in again (which needs a connection). Sign out now?</source>
        <translation>{count} cambios todavía no han llegado a la oficina. Se quedan en esta tableta y se envían cuando vuelva a iniciar sesión (lo que necesita conexión). ¿Cerrar sesión ahora?</translation>
    </message>
</context>
<context>
    <name>SignIn</name>
    <message>
        <location filename="../../fieldapp/qt/session.py" line="57"/>
        <source>The server cannot be reached — you can still sign in offline as {user}.</source>
        <translation>No se puede llegar al servidor; aun así puede iniciar sesión sin conexión como {user}.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/session.py" line="63"/>
        <source>The server cannot be reached. Check the server address and that the tablet has a connection, then try again.</source>
        <translation>No se puede llegar al servidor. Revise la dirección del servidor y que la tableta tenga conexión, y vuelva a intentarlo.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/session.py" line="85"/>
        <source>Too many wrong passwords. Wait {seconds} s, then try again.</source>
        <translation>Demasiadas contraseñas incorrectas. Espere {seconds} s y vuelva a intentarlo.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/session.py" line="92"/>
        <location filename="../../fieldapp/qt/session.py" line="176"/>
        <source>Wrong password.</source>
        <translation>Contraseña incorrecta.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/session.py" line="151"/>
        <source>This tablet holds the records of {user}; only {user} can sign in on it. Ask the office to set up a tablet for you.</source>
        <translation>Esta tableta guarda los registros de {user}; solo {user} puede iniciar sesión en ella. Pida a la oficina que le prepare una tableta.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/session.py" line="161"/>
        <location filename="../../fieldapp/qt/signin.py" line="84"/>
        <source>Wrong user name or password.</source>
        <translation>Nombre de usuario o contraseña incorrectos.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/session.py" line="178"/>
        <source>This tablet keeps no password check for you, so it cannot be unlocked here. Sign out, then sign in online.</source>
        <translation>Esta tableta no tiene guardada su contraseña, así que no se puede desbloquear aquí. Cierre la sesión y vuelva a iniciarla en línea.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/signin.py" line="106"/>
        <source>Signing in failed because of a problem in the app: {problem}</source>
        <translation>No se pudo iniciar sesión por un problema de la aplicación: {problem}</translation>
    </message>
</context>
<context>
    <name>SignatureCanvas</name>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/canvas.py" line="42"/>
        <source>Signature area</source>
        <translation>Zona de firma</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/canvas.py" line="43"/>
        <source>Sign here with the pen, a finger or the mouse</source>
        <translation>Firme aquí con el lápiz, el dedo o el ratón</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/canvas.py" line="225"/>
        <source>Sign above the line</source>
        <translation>Firme encima de la línea</translation>
    </message>
</context>
<context>
    <name>SignaturePad</name>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="48"/>
        <source>Patient</source>
        <translation>Paciente</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="49"/>
        <source>Spouse</source>
        <translation>Cónyuge</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="50"/>
        <source>Son or daughter</source>
        <translation>Hijo o hija</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="51"/>
        <source>Parent</source>
        <translation>Padre o madre</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="52"/>
        <source>Legal guardian</source>
        <translation>Tutor legal</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="53"/>
        <source>Caregiver</source>
        <translation>Cuidador o cuidadora</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="54"/>
        <source>Other representative</source>
        <translation>Otro representante</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="122"/>
        <source>Signature</source>
        <translation>Firma</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="125"/>
        <source>Signature pad</source>
        <translation>Panel de firma</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="138"/>
        <source>What you agree to by signing</source>
        <translation>Lo que acepta al firmar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="158"/>
        <source>Nothing recorded yet.</source>
        <translation>Todavía no hay nada registrado.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="160"/>
        <source>What was recorded at this visit</source>
        <translation>Lo que se registró en esta visita</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="182"/>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="190"/>
        <source>Name of the person signing</source>
        <translation>Nombre de quien firma</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="185"/>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="191"/>
        <source>Signing as</source>
        <translation>Firma como</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="198"/>
        <source>Undo</source>
        <translation>Deshacer</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="198"/>
        <source>Undo the last stroke</source>
        <translation>Deshacer el último trazo</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="199"/>
        <source>Clear</source>
        <translation>Borrar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="199"/>
        <source>Clear the signature</source>
        <translation>Borrar la firma</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="200"/>
        <source>Unable to sign…</source>
        <translation>No puede firmar…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="200"/>
        <source>Record why nobody can sign</source>
        <translation>Anotar por qué nadie puede firmar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="201"/>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="201"/>
        <source>Cancel signing</source>
        <translation>Cancelar la firma</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="202"/>
        <source>Sign</source>
        <translation>Firmar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="202"/>
        <source>Sign and lock the visit</source>
        <translation>Firmar y cerrar la visita</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="255"/>
        <source>Write the name of the patient or representative who could not sign.</source>
        <translation>Escriba el nombre del paciente o del representante que no pudo firmar.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="263"/>
        <source>Sign in the white area first.</source>
        <translation>Primero firme en la zona blanca.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="266"/>
        <source>Write the name of the person signing.</source>
        <translation>Escriba el nombre de quien firma.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/signature.py" line="61"/>
        <source>Note ({time}): {text}</source>
        <translation>Nota ({time}): {text}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/signature.py" line="71"/>
        <source>Vital sign ({time}): {what} {value} {unit}</source>
        <translation>Signo vital ({time}): {what} {value} {unit}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/signature.py" line="80"/>
        <source>Task: {task}: {outcome}</source>
        <translation>Tarea: {task}: {outcome}</translation>
    </message>
</context>
<context>
    <name>SignaturePanel</name>
    <message>
        <location filename="../../fieldapp/ui/visit/signature.py" line="90"/>
        <source>Signed at {time} and locked: the visit times and the notes and vital signs recorded before signing can no longer change. Anything added now is shown as added after signing; to correct a note, amend it.</source>
        <translation>Firmada a las {time} y bloqueada: las horas de la visita y las notas y signos vitales registrados antes de firmar ya no pueden cambiar. Lo que agregue ahora aparece como agregado después de firmar; para corregir una nota, enmiéndela.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/signature.py" line="103"/>
        <location filename="../../fieldapp/ui/visit/signature.py" line="105"/>
        <source>Signature</source>
        <translation>Firma</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/signature.py" line="110"/>
        <source>Signature image</source>
        <translation>Imagen de la firma</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/signature.py" line="114"/>
        <source>Sign</source>
        <translation>Firmar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/signature.py" line="114"/>
        <source>Open the signature pad</source>
        <translation>Abrir el panel de firma</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/signature.py" line="123"/>
        <source>Could not be signed ({reason}); recorded for {name} ({role}) at {time}.</source>
        <translation>No se pudo firmar ({reason}); registrado para {name} ({role}) a las {time}.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/signature.py" line="132"/>
        <source>Signed by {name} ({role}) at {time}.</source>
        <translation>Firmado por {name} ({role}) a las {time}.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/signature.py" line="145"/>
        <source>No signature: the visit did not take place.</source>
        <translation>Sin firma: la visita no se realizó.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/signature.py" line="148"/>
        <source>Check out first: signing locks the visit&apos;s times.</source>
        <translation>Registre primero la salida: al firmar se bloquean las horas de la visita.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/signature.py" line="152"/>
        <source>Ask the patient (or their representative) to sign for this visit.</source>
        <translation>Pida al paciente (o a su representante) que firme esta visita.</translation>
    </message>
</context>
<context>
    <name>SyncStatusBar</name>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="32"/>
        <source>Connecting to the office…</source>
        <translation>Conectando con la oficina…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="33"/>
        <source>Sending your changes</source>
        <translation>Enviando sus cambios</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="34"/>
        <source>Receiving records</source>
        <translation>Recibiendo registros</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="72"/>
        <source>Conflicts</source>
        <translation>Conflictos</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="72"/>
        <source>Show the conflicts to look at</source>
        <translation>Ver los conflictos por revisar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="76"/>
        <location filename="../../fieldapp/ui/sync_status.py" line="77"/>
        <location filename="../../fieldapp/ui/sync_status.py" line="155"/>
        <location filename="../../fieldapp/ui/sync_status.py" line="180"/>
        <source>Sync now</source>
        <translation>Sincronizar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="79"/>
        <source>Send and receive changes now (F5)</source>
        <translation>Enviar y recibir cambios ahora (F5)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="84"/>
        <source>Sync progress</source>
        <translation>Progreso de la sincronización</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="100"/>
        <source>Last sync problem</source>
        <translation>Último problema de sincronización</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="103"/>
        <source>Tablet clock</source>
        <translation>Reloj de la tableta</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="165"/>
        <source>Sync is not part of this build: changes stay on this tablet.</source>
        <translation>Esta versión no sincroniza: los cambios se quedan en esta tableta.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="155"/>
        <location filename="../../fieldapp/ui/sync_status.py" line="180"/>
        <location filename="../../fieldapp/ui/sync_status.py" line="214"/>
        <source>Syncing…</source>
        <translation>Sincronizando…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="216"/>
        <source>Online</source>
        <translation>En línea</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="218"/>
        <source>Offline</source>
        <translation>Sin conexión</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="220"/>
        <source>Network unknown</source>
        <translation>Red desconocida</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="222"/>
        <source>Connection: {state}</source>
        <translation>Conexión: {state}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="227"/>
        <source>1 change not sent yet</source>
        <translation>1 cambio sin enviar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="230"/>
        <source>{count} changes not sent yet</source>
        <translation>{count} cambios sin enviar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="234"/>
        <source>All changes sent</source>
        <translation>Todos los cambios enviados</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="236"/>
        <source>{count} refused by the office</source>
        <translation>{count} rechazados por la oficina</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="241"/>
        <source>{count} to check</source>
        <translation>{count} por revisar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="243"/>
        <source>Conflicts: {count}</source>
        <translation>Conflictos: {count}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="249"/>
        <source>Never synced with the office yet</source>
        <translation>Todavía no se ha sincronizado con la oficina</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="251"/>
        <source>Last sync: {when}</source>
        <translation>Última sincronización: {when}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="259"/>
        <source>Syncing</source>
        <translation>Sincronizando</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="263"/>
        <source>{stage}: {done} of {total}</source>
        <translation>{stage}: {done} de {total}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="295"/>
        <source>{count} minutes</source>
        <translation>{count} minutos</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="299"/>
        <source>1 hour</source>
        <translation>1 hora</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="301"/>
        <source>{count} hours</source>
        <translation>{count} horas</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="304"/>
        <source>{count} days</source>
        <translation>{count} días</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="308"/>
        <source>This tablet&apos;s clock is {amount} behind; your changes are dated by the office&apos;s clock.</source>
        <translation>El reloj de esta tableta va {amount} atrasado; sus cambios llevan la hora de la oficina.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="313"/>
        <source>This tablet&apos;s clock is {amount} ahead; your changes are dated by the office&apos;s clock.</source>
        <translation>El reloj de esta tableta va {amount} adelantado; sus cambios llevan la hora de la oficina.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="320"/>
        <source>Ask your office to set the tablet&apos;s date and time.</source>
        <translation>Pida a la oficina que ajuste la fecha y la hora de la tableta.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="331"/>
        <source>Last sync did not finish: {problem}</source>
        <translation>La última sincronización no terminó: {problem}</translation>
    </message>
</context>
<context>
    <name>TaskHistory</name>
    <message>
        <location filename="../../fieldapp/ui/task_history.py" line="27"/>
        <source>entered in error: {reason}</source>
        <translation>registrado por error: {reason}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/task_history.py" line="39"/>
        <source>No task outcomes recorded yet.</source>
        <translation>Aún no hay resultados de tareas registrados.</translation>
    </message>
</context>
<context>
    <name>TaskLine</name>
    <message>
        <location filename="../../fieldapp/ui/visit/tasks.py" line="30"/>
        <source>Not feeling well</source>
        <translation>Se siente mal</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/tasks.py" line="31"/>
        <source>Asleep</source>
        <translation>Dormido</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/tasks.py" line="32"/>
        <source>Did not want it today</source>
        <translation>Hoy no quiso</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/tasks.py" line="33"/>
        <source>Family did it</source>
        <translation>Lo hizo la familia</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/tasks.py" line="36"/>
        <source>No supplies</source>
        <translation>Faltan materiales</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/tasks.py" line="37"/>
        <source>Equipment not working</source>
        <translation>El equipo no funciona</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/tasks.py" line="38"/>
        <source>Not safe today</source>
        <translation>Hoy no es seguro</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/tasks.py" line="39"/>
        <source>Ran out of time</source>
        <translation>Se acabó el tiempo</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/tasks.py" line="43"/>
        <source>✓ Done</source>
        <translation>✓ Hecho</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/tasks.py" line="44"/>
        <source>Refused</source>
        <translation>Rechazó</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/tasks.py" line="45"/>
        <source>Not needed</source>
        <translation>No hizo falta</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/tasks.py" line="46"/>
        <source>Could not do</source>
        <translation>No se pudo</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/tasks.py" line="92"/>
        <location filename="../../fieldapp/ui/visit/tasks.py" line="217"/>
        <source>Note</source>
        <translation>Nota</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/tasks.py" line="96"/>
        <source>In error…</source>
        <translation>Por error…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/tasks.py" line="96"/>
        <source>Entered in error</source>
        <translation>Registrado por error</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/tasks.py" line="118"/>
        <source>Task: {task}</source>
        <translation>Tarea: {task}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/tasks.py" line="121"/>
        <source>Note on {task}</source>
        <translation>Nota sobre {task}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/tasks.py" line="122"/>
        <source>Entered in error: {task}</source>
        <translation>Registrado por error: {task}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/tasks.py" line="142"/>
        <source>{outcome} — entered in error: {reason}</source>
        <translation>{outcome} — registrado por error: {reason}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/tasks.py" line="151"/>
        <source>as needed</source>
        <translation>según necesidad</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/tasks.py" line="193"/>
        <source>Reason: {reason}</source>
        <translation>Motivo: {reason}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/tasks.py" line="205"/>
        <location filename="../../fieldapp/ui/visit/tasks.py" line="214"/>
        <source>Reason</source>
        <translation>Motivo</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/tasks.py" line="213"/>
        <source>Other reason…</source>
        <translation>Otro motivo…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/tasks.py" line="216"/>
        <source>Note (optional)</source>
        <translation>Nota (opcional)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/tasks.py" line="223"/>
        <source>Save</source>
        <translation>Guardar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/tasks.py" line="223"/>
        <source>Save the reason and note</source>
        <translation>Guardar el motivo y la nota</translation>
    </message>
</context>
<context>
    <name>TimeCorrectionDialog</name>
    <message>
        <location filename="../../fieldapp/ui/visit/correction.py" line="34"/>
        <source>Correct the visit time</source>
        <translation>Corregir la hora de la visita</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/correction.py" line="40"/>
        <source>The time recorded by the tablet is kept on the visit; the office sees both, with your reason.</source>
        <translation>La hora que registró la tableta se conserva en la visita; la oficina ve las dos, con su motivo.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/correction.py" line="49"/>
        <source>Save correction</source>
        <translation>Guardar la corrección</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/correction.py" line="48"/>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/correction.py" line="48"/>
        <source>Cancel correction</source>
        <translation>Cancelar la corrección</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/correction.py" line="55"/>
        <source>Check-in time</source>
        <translation>Hora de entrada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/correction.py" line="56"/>
        <source>Correct the check-in time</source>
        <translation>Corregir la hora de entrada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/correction.py" line="57"/>
        <source>Check-out time</source>
        <translation>Hora de salida</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/correction.py" line="58"/>
        <source>Correct the check-out time</source>
        <translation>Corregir la hora de salida</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/correction.py" line="70"/>
        <location filename="../../fieldapp/ui/visit/correction.py" line="83"/>
        <source>Corrected time</source>
        <translation>Hora corregida</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/correction.py" line="74"/>
        <source>Reason for the correction</source>
        <translation>Motivo de la corrección</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/correction.py" line="76"/>
        <source>Choose a reason…</source>
        <translation>Elija un motivo…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/correction.py" line="79"/>
        <location filename="../../fieldapp/ui/visit/correction.py" line="85"/>
        <source>Comment</source>
        <translation>Comentario</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/correction.py" line="82"/>
        <source>What happened (required for &apos;Other&apos;)</source>
        <translation>Qué pasó (obligatorio para &apos;Otro&apos;)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/correction.py" line="84"/>
        <source>Reason</source>
        <translation>Motivo</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/correction.py" line="107"/>
        <source>Choose the reason for the correction.</source>
        <translation>Elija el motivo de la corrección.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/correction.py" line="110"/>
        <source>Say what happened: the reason &apos;Other&apos; needs a comment.</source>
        <translation>Diga qué pasó: el motivo &apos;Otro&apos; necesita un comentario.</translation>
    </message>
</context>
<context>
    <name>TimesPanel</name>
    <message>
        <location filename="../../fieldapp/ui/visit/times.py" line="47"/>
        <source>Check-in and check-out</source>
        <translation>Entrada y salida</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/times.py" line="49"/>
        <source>Where is this visit taking place?</source>
        <translation>¿Dónde se realiza esta visita?</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/times.py" line="54"/>
        <location filename="../../fieldapp/ui/visit/times.py" line="136"/>
        <source>GPS</source>
        <translation>GPS</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/times.py" line="54"/>
        <source>Use the GPS position</source>
        <translation>Usar la posición GPS</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/times.py" line="55"/>
        <source>Patient&apos;s home</source>
        <translation>Casa del paciente</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/times.py" line="55"/>
        <source>At the patient&apos;s home</source>
        <translation>En la casa del paciente</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/times.py" line="56"/>
        <source>Community</source>
        <translation>Comunidad</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/times.py" line="56"/>
        <source>In the community</source>
        <translation>En la comunidad</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/times.py" line="69"/>
        <source>Check in</source>
        <translation>Registrar entrada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/times.py" line="69"/>
        <source>Check in now</source>
        <translation>Registrar la entrada ahora</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/times.py" line="70"/>
        <source>Check out</source>
        <translation>Registrar salida</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/times.py" line="70"/>
        <source>Check out now</source>
        <translation>Registrar la salida ahora</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/times.py" line="75"/>
        <source>Check-in and check-out times</source>
        <translation>Horas de entrada y salida</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/times.py" line="79"/>
        <source>Correct a time…</source>
        <translation>Corregir una hora…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/times.py" line="79"/>
        <source>Correct the check-in or check-out time</source>
        <translation>Corregir la hora de entrada o de salida</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/times.py" line="82"/>
        <source>Mark missed…</source>
        <translation>No realizada…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/times.py" line="82"/>
        <source>Mark this visit missed</source>
        <translation>Marcar esta visita como no realizada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/times.py" line="85"/>
        <source>Undo missed</source>
        <translation>Deshacer no realizada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/times.py" line="85"/>
        <source>Undo marking this visit missed</source>
        <translation>Deshacer la marca de visita no realizada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/times.py" line="92"/>
        <source>What the office will review</source>
        <translation>Lo que revisará la oficina</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/times.py" line="94"/>
        <source>Give a reason…</source>
        <translation>Dar un motivo…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/times.py" line="94"/>
        <source>Give the reason for what the office will review</source>
        <translation>Dar el motivo de lo que revisará la oficina</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/times.py" line="140"/>
        <source>GPS (no fix)</source>
        <translation>GPS (sin señal)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/times.py" line="155"/>
        <source>place not given</source>
        <translation>lugar no indicado</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/times.py" line="158"/>
        <source>Checked in {time} (tablet clock {clock}) · {place}</source>
        <translation>Entrada {time} (reloj de la tableta {clock}) · {place}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/times.py" line="163"/>
        <source>Not checked in</source>
        <translation>Sin entrada registrada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/times.py" line="166"/>
        <source>Checked out {time}</source>
        <translation>Salida {time}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/times.py" line="171"/>
        <source>Check-in</source>
        <translation>Entrada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/times.py" line="172"/>
        <source>Check-out</source>
        <translation>Salida</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/times.py" line="176"/>
        <source>{which} corrected to {time} — {why}</source>
        <translation>{which} corregida a las {time} — {why}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/times.py" line="184"/>
        <source>nothing</source>
        <translation>nada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/times.py" line="186"/>
        <source>; recorded {time}</source>
        <translation>; registrada {time}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/times.py" line="208"/>
        <source>: reason needed</source>
        <translation>: falta el motivo</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/times.py" line="213"/>
        <source> · {state} by the office</source>
        <translation> · {state} por la oficina</translation>
    </message>
</context>
<context>
    <name>TodayScreen</name>
    <message>
        <location filename="../../fieldapp/ui/today.py" line="39"/>
        <source>To do</source>
        <translation>Pendiente</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/today.py" line="40"/>
        <source>In progress</source>
        <translation>En curso</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/today.py" line="41"/>
        <source>Done</source>
        <translation>Hecha</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/today.py" line="42"/>
        <source>Missed</source>
        <translation>No realizada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/today.py" line="43"/>
        <source>Cancelled</source>
        <translation>Cancelada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/today.py" line="168"/>
        <source>{hours} h {minutes} min</source>
        <translation>{hours} h {minutes} min</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/today.py" line="171"/>
        <source>{minutes} min</source>
        <translation>{minutes} min</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/today.py" line="176"/>
        <source>Visit {times}</source>
        <translation>Visita {times}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/today.py" line="183"/>
        <source>allergies: {list}</source>
        <translation>alergias: {list}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/today.py" line="186"/>
        <source>EVV missing: {list}</source>
        <translation>Falta para EVV: {list}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/today.py" line="211"/>
        <source>No visits on your schedule today. If you expected some, tap “Sync now” when you have a connection.</source>
        <translation>Hoy no tiene visitas programadas. Si esperaba alguna, toque “Sincronizar” cuando tenga conexión.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/today.py" line="206"/>
        <source>Today&apos;s visits</source>
        <translation>Visitas de hoy</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/today.py" line="286"/>
        <source>Today · {day}</source>
        <translation>Hoy · {day}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/today.py" line="293"/>
        <source>1 visit: {done} done, {going} in progress, {to_do} to do</source>
        <translation>1 visita: hecha {done}, en curso {going}, pendiente {to_do}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/today.py" line="295"/>
        <source>{count} visits: {done} done, {going} in progress, {to_do} to do</source>
        <translation>{count} visitas: hechas {done}, en curso {going}, pendientes {to_do}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/today.py" line="301"/>
        <source>1 visit late: not started {minutes} minutes after the start.</source>
        <translation>1 visita atrasada: sin empezar {minutes} minutos después de la hora.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/today.py" line="303"/>
        <source>{count} visits late: not started {minutes} minutes after the start.</source>
        <translation>{count} visitas atrasadas: sin empezar {minutes} minutos después de la hora.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/today.py" line="306"/>
        <source>Call the office if you cannot make it.</source>
        <translation>Llame a la oficina si no puede llegar.</translation>
    </message>
</context>
<context>
    <name>UnableToSignDialog</name>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="41"/>
        <source>Patient is physically unable to sign</source>
        <translation>El paciente no puede firmar físicamente</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="42"/>
        <source>Patient declined to sign</source>
        <translation>El paciente no quiso firmar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="43"/>
        <source>Patient was asleep or not responsive</source>
        <translation>El paciente estaba dormido o no respondía</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="44"/>
        <source>No representative present to sign</source>
        <translation>No había ningún representante para firmar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="63"/>
        <source>Unable to sign</source>
        <translation>No puede firmar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="66"/>
        <source>Why can nobody sign for this visit? This is recorded instead of a signature.</source>
        <translation>¿Por qué nadie puede firmar esta visita? Esto se anota en lugar de una firma.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="69"/>
        <source>Reason</source>
        <translation>Motivo</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="72"/>
        <source>Other (write the reason below)</source>
        <translation>Otro (escriba el motivo abajo)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="76"/>
        <source>Details</source>
        <translation>Detalles</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="77"/>
        <source>Details (required for &apos;Other&apos;)</source>
        <translation>Detalles (obligatorio para «Otro»)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="85"/>
        <source>Record reason</source>
        <translation>Anotar el motivo</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="84"/>
        <source>Back</source>
        <translation>Volver</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="84"/>
        <source>Back to signing</source>
        <translation>Volver a la firma</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="97"/>
        <source>Write the reason nobody could sign.</source>
        <translation>Escriba por qué nadie pudo firmar.</translation>
    </message>
</context>
<context>
    <name>VisitCard</name>
    <message>
        <location filename="../../fieldapp/ui/today.py" line="87"/>
        <source>Late · {time}</source>
        <translation>Atrasada · {time}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/today.py" line="91"/>
        <source>{status}, late by {time}</source>
        <translation>{status}, atrasada {time}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/today.py" line="100"/>
        <source>No address on file</source>
        <translation>No hay dirección registrada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/today.py" line="123"/>
        <source>Cancelled by the office: {reason}</source>
        <translation>Cancelada por la oficina: {reason}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/today.py" line="126"/>
        <source>Office note: {note}</source>
        <translation>Nota de la oficina: {note}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/today.py" line="129"/>
        <source>⚠ Allergies: {list}</source>
        <translation>⚠ Alergias: {list}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/today.py" line="133"/>
        <source>EVV missing: {list}</source>
        <translation>Falta para EVV: {list}</translation>
    </message>
</context>
<context>
    <name>VisitProblems</name>
    <message>
        <location filename="../../fieldapp/readmodels/day.py" line="170"/>
        <source>not started: check in, or mark it missed</source>
        <translation>sin empezar: registre la entrada o márquela como no realizada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/readmodels/day.py" line="172"/>
        <source>not checked out</source>
        <translation>sin salida registrada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/readmodels/day.py" line="175"/>
        <source>missing {elements}</source>
        <translation>falta {elements}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/readmodels/day.py" line="177"/>
        <source>not signed</source>
        <translation>sin firmar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/readmodels/day.py" line="180"/>
        <source>tasks left open: {tasks}</source>
        <translation>tareas pendientes: {tasks}</translation>
    </message>
</context>
<context>
    <name>VisitScreen</name>
    <message>
        <location filename="../../fieldapp/ui/visit/header.py" line="23"/>
        <source>⚠ ALLERGIES: {list}</source>
        <translation>⚠ ALERGIAS: {list}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/header.py" line="34"/>
        <source>Scheduled {day}, {start}–{end} · Service {service}</source>
        <translation>Programada el {day}, {start}–{end} · Servicio {service}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/header.py" line="44"/>
        <source>Cancelled by the office: {reason}</source>
        <translation>Cancelada por la oficina: {reason}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/header.py" line="48"/>
        <source>Note from the office: {note}</source>
        <translation>Nota de la oficina: {note}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/screen.py" line="68"/>
        <source>Visit</source>
        <translation>Visita</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/screen.py" line="125"/>
        <source>‹ Back</source>
        <translation>‹ Volver</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/screen.py" line="125"/>
        <source>Back to the list</source>
        <translation>Volver a la lista</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/screen.py" line="130"/>
        <source>Patient</source>
        <translation>Paciente</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/screen.py" line="132"/>
        <source>Address</source>
        <translation>Dirección</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/screen.py" line="137"/>
        <source>Visit status</source>
        <translation>Estado de la visita</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/screen.py" line="143"/>
        <source>Allergies</source>
        <translation>Alergias</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/screen.py" line="145"/>
        <source>Scheduled time and service</source>
        <translation>Hora programada y servicio</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/screen.py" line="147"/>
        <source>Visit verification</source>
        <translation>Verificación de la visita</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/screen.py" line="149"/>
        <source>Signed and locked</source>
        <translation>Firmada y bloqueada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/screen.py" line="151"/>
        <source>Problem</source>
        <translation>Problema</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/screen.py" line="235"/>
        <source>This visit is no longer on this tablet</source>
        <translation>Esta visita ya no está en esta tableta</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/screen.py" line="255"/>
        <source>No address on record</source>
        <translation>No hay dirección registrada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/screen.py" line="263"/>
        <source>No known allergies</source>
        <translation>Sin alergias conocidas</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/screen.py" line="271"/>
        <source>Visit verification: not needed (the visit did not take place)</source>
        <translation>Verificación de la visita: no hace falta (la visita no se realizó)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/screen.py" line="274"/>
        <source>Visit verification still needs: {list}</source>
        <translation>A la verificación de la visita todavía le falta: {list}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/screen.py" line="278"/>
        <source>✓ Visit verification complete: service, patient, worker, date, place and times</source>
        <translation>✓ Verificación de la visita completa: servicio, paciente, trabajador, fecha, lugar y horas</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/screen.py" line="471"/>
        <source>Signature for the visit to {name} on {day}</source>
        <translation>Firma de la visita a {name} del {day}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/parts.py" line="39"/>
        <source>added after signing</source>
        <translation>agregado después de firmar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/parts.py" line="40"/>
        <source>signed, locked</source>
        <translation>firmado, bloqueado</translation>
    </message>
</context>
<context>
    <name>VitalsPanel</name>
    <message>
        <location filename="../../fieldapp/ui/visit/vitals.py" line="65"/>
        <source>Blood pressure</source>
        <translation>Presión arterial</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/vitals.py" line="109"/>
        <source>e.g. 120/80</source>
        <translation>p. ej. 120/80</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/vitals.py" line="68"/>
        <location filename="../../fieldapp/ui/visit/vitals.py" line="69"/>
        <location filename="../../fieldapp/ui/visit/vitals.py" line="109"/>
        <source>Value</source>
        <translation>Valor</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/vitals.py" line="39"/>
        <source>Vital signs</source>
        <translation>Signos vitales</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/vitals.py" line="42"/>
        <source>Plausible range</source>
        <translation>Rango posible</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/vitals.py" line="45"/>
        <source>Vital sign problem</source>
        <translation>Problema con el signo vital</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/vitals.py" line="48"/>
        <source>Vital signs of this visit</source>
        <translation>Signos vitales de esta visita</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/vitals.py" line="58"/>
        <source>Measurement</source>
        <translation>Medición</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/vitals.py" line="73"/>
        <source>Unit</source>
        <translation>Unidad</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/vitals.py" line="75"/>
        <source>Add</source>
        <translation>Agregar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/vitals.py" line="75"/>
        <source>Add the vital sign</source>
        <translation>Agregar el signo vital</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/vitals.py" line="118"/>
        <source>Systolic/diastolic in mmHg, the higher number first: 120/80</source>
        <translation>Sistólica/diastólica en mmHg, el número mayor primero: 120/80</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/vitals.py" line="122"/>
        <source>Plausible range: {low}–{high} {unit}</source>
        <translation>Rango plausible: {low}–{high} {unit}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/vitals.py" line="132"/>
        <source>blood pressure</source>
        <translation>presión arterial</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/vitals.py" line="135"/>
        <source>Type the {what} value.</source>
        <translation>Escriba el valor de {what}.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/vitals.py" line="140"/>
        <source>“{text}” is not a number.</source>
        <translation>«{text}» no es un número.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/vitals.py" line="142"/>
        <source>Choose the unit.</source>
        <translation>Elija la unidad.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/vitals.py" line="146"/>
        <source>{what} of {value} {unit} is outside the plausible range {low}–{high} {unit}. Check the reading and the unit.</source>
        <translation>{what} de {value} {unit} está fuera del rango plausible {low}–{high} {unit}. Revise la lectura y la unidad.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/vitals.py" line="159"/>
        <source>systolic</source>
        <translation>sistólica</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/vitals.py" line="159"/>
        <source>diastolic</source>
        <translation>diastólica</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/vitals.py" line="161"/>
        <source>A {which} pressure of {value} mmHg is outside the plausible range {low}–{high}. Check the reading.</source>
        <translation>Una presión {which} de {value} mmHg está fuera del rango plausible {low}–{high}. Revise la lectura.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/vitals.py" line="166"/>
        <source>The systolic pressure ({systolic}) must be higher than the diastolic ({diastolic}): type the higher number first, e.g. 120/80.</source>
        <translation>La presión sistólica ({systolic}) debe ser mayor que la diastólica ({diastolic}): escriba primero el número mayor, p. ej. 120/80.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/vitals.py" line="170"/>
        <source>Type the blood pressure as two numbers with a slash, systolic first, e.g. 120/80 (not “{text}”).</source>
        <translation>Escriba la presión arterial como dos números separados por una barra, la sistólica primero, p. ej. 120/80 (no «{text}»).</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/vitals.py" line="197"/>
        <source>No vital signs yet.</source>
        <translation>Todavía no hay signos vitales.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/vitals.py" line="221"/>
        <source>(entered in error)</source>
        <translation>(ingresado por error)</translation>
    </message>
</context>
<context>
    <name>Words</name>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="23"/>
        <source>Scheduled</source>
        <translation>Programada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="24"/>
        <source>In progress</source>
        <translation>En curso</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="25"/>
        <source>Completed</source>
        <translation>Completada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="26"/>
        <source>Missed</source>
        <translation>No realizada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="27"/>
        <source>Cancelled</source>
        <translation>Cancelada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="28"/>
        <source>Blood pressure, systolic</source>
        <translation>Presión arterial, sistólica</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="29"/>
        <source>Blood pressure, diastolic</source>
        <translation>Presión arterial, diastólica</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="30"/>
        <source>Heart rate</source>
        <translation>Frecuencia cardíaca</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="31"/>
        <source>Respiratory rate</source>
        <translation>Frecuencia respiratoria</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="32"/>
        <source>Temperature</source>
        <translation>Temperatura</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="33"/>
        <source>Oxygen saturation</source>
        <translation>Saturación de oxígeno</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="34"/>
        <source>Blood glucose</source>
        <translation>Glucosa en sangre</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="35"/>
        <source>Weight</source>
        <translation>Peso</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="36"/>
        <source>Pain score</source>
        <translation>Nivel de dolor</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="37"/>
        <source>BP systolic</source>
        <translation>PA sistólica</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="38"/>
        <source>BP diastolic</source>
        <translation>PA diastólica</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="39"/>
        <source>Breathing rate</source>
        <translation>Respiraciones</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="40"/>
        <source>SpO2 (oxygen)</source>
        <translation>SpO2 (oxígeno)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="41"/>
        <source>GPS fix</source>
        <translation>Posición GPS</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="42"/>
        <source>Patient&apos;s home</source>
        <translation>Casa del paciente</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="43"/>
        <source>In the community</source>
        <translation>En la comunidad</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="44"/>
        <source>Forgot to check in</source>
        <translation>Olvidé registrar la entrada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="45"/>
        <source>Forgot to check out</source>
        <translation>Olvidé registrar la salida</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="46"/>
        <source>Tablet failed or ran out of battery</source>
        <translation>La tableta falló o se quedó sin batería</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="47"/>
        <source>Checked in to the wrong visit</source>
        <translation>Registré la entrada en otra visita</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="48"/>
        <source>Service given outside the home</source>
        <translation>Servicio prestado fuera de la casa</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="49"/>
        <source>Schedule changed</source>
        <translation>Cambió el horario</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="50"/>
        <source>Other (explain in the comment)</source>
        <translation>Otro (explíquelo en el comentario)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="51"/>
        <source>Patient</source>
        <translation>Paciente</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="52"/>
        <source>Spouse</source>
        <translation>Cónyuge</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="53"/>
        <source>Son or daughter</source>
        <translation>Hijo o hija</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="54"/>
        <source>Parent</source>
        <translation>Padre o madre</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="55"/>
        <source>Legal guardian</source>
        <translation>Tutor legal</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="56"/>
        <source>Caregiver</source>
        <translation>Cuidador o cuidadora</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="57"/>
        <source>Other representative</source>
        <translation>Otro representante</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="58"/>
        <source>Visit</source>
        <translation>Visita</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="59"/>
        <source>Note</source>
        <translation>Nota</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="60"/>
        <source>Vital sign</source>
        <translation>Signo vital</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="61"/>
        <source>Signature</source>
        <translation>Firma</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="62"/>
        <source>Day report</source>
        <translation>Informe del día</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="63"/>
        <source>Late check-in</source>
        <translation>Entrada tarde</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="64"/>
        <source>Early check-in</source>
        <translation>Entrada temprano</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="65"/>
        <source>Early check-out</source>
        <translation>Salida temprano</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="66"/>
        <source>Late check-out</source>
        <translation>Salida tarde</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="67"/>
        <source>Visit much shorter than scheduled</source>
        <translation>Visita mucho más corta de lo programado</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="68"/>
        <source>Visit much longer than scheduled</source>
        <translation>Visita mucho más larga de lo programado</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="69"/>
        <source>No GPS location</source>
        <translation>Sin ubicación GPS</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="70"/>
        <source>Location far from the patient&apos;s home</source>
        <translation>Lugar lejos de la casa del paciente</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="71"/>
        <source>Time entered by hand</source>
        <translation>Hora ingresada a mano</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="72"/>
        <source>No check-out</source>
        <translation>Sin salida</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="73"/>
        <source>Missed visit</source>
        <translation>Visita no realizada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="74"/>
        <source>No signature</source>
        <translation>Sin firma</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="75"/>
        <source>Care tasks not completed</source>
        <translation>Tareas de cuidado no completadas</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="76"/>
        <source>The tablet found no GPS position in time</source>
        <translation>La tableta no encontró la posición GPS a tiempo</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="77"/>
        <source>Location access is turned off on the tablet</source>
        <translation>La ubicación está desactivada en la tableta</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="78"/>
        <source>This tablet has no GPS</source>
        <translation>Esta tableta no tiene GPS</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="79"/>
        <source>Service given in the community</source>
        <translation>Servicio prestado en la comunidad</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="80"/>
        <source>The patient was at another address</source>
        <translation>El paciente estaba en otra dirección</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="81"/>
        <source>The home&apos;s map position looks wrong</source>
        <translation>La posición de la casa en el mapa parece incorrecta</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="82"/>
        <source>The patient refused the visit</source>
        <translation>El paciente rechazó la visita</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="83"/>
        <source>The patient is in hospital</source>
        <translation>El paciente está en el hospital</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="84"/>
        <source>The patient was not home</source>
        <translation>El paciente no estaba en casa</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="85"/>
        <source>The patient cancelled</source>
        <translation>El paciente canceló</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="86"/>
        <source>I could not go</source>
        <translation>No pude ir</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="87"/>
        <source>Traffic or travel delay</source>
        <translation>Tráfico o retraso en el viaje</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="88"/>
        <source>The patient asked for it</source>
        <translation>El paciente lo pidió</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="89"/>
        <source>An emergency</source>
        <translation>Una emergencia</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="90"/>
        <source>The schedule changed</source>
        <translation>Cambió el horario</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="91"/>
        <source>I forgot</source>
        <translation>Se me olvidó</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="92"/>
        <source>There was not enough time at the visit</source>
        <translation>No hubo tiempo suficiente en la visita</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="93"/>
        <source>The tablet failed or ran out of battery</source>
        <translation>La tableta falló o se quedó sin batería</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="94"/>
        <source>The patient is unable to sign</source>
        <translation>El paciente no puede firmar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="95"/>
        <source>The patient declined to sign</source>
        <translation>El paciente no quiso firmar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="96"/>
        <source>Other (say what happened)</source>
        <translation>Otro (diga qué pasó)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="97"/>
        <source>Done</source>
        <translation>Hecho</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="98"/>
        <source>Patient refused</source>
        <translation>El paciente se negó</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="99"/>
        <source>Not needed</source>
        <translation>No hizo falta</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="100"/>
        <source>Could not do</source>
        <translation>No se pudo</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="101"/>
        <source>type of service</source>
        <translation>tipo de servicio</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="102"/>
        <source>person receiving the service</source>
        <translation>persona que recibe el servicio</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="103"/>
        <source>date of service</source>
        <translation>fecha del servicio</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="104"/>
        <source>location of service</source>
        <translation>lugar del servicio</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="105"/>
        <source>person providing the service</source>
        <translation>persona que presta el servicio</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="106"/>
        <source>begin and end times</source>
        <translation>horas de inicio y fin</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="107"/>
        <source>JPEG photo</source>
        <translation>Foto JPEG</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="108"/>
        <source>PNG image</source>
        <translation>Imagen PNG</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="109"/>
        <source>PDF document</source>
        <translation>Documento PDF</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="110"/>
        <source>Personal care</source>
        <translation>Cuidado personal</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="111"/>
        <source>Attendant care</source>
        <translation>Asistencia personal</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="112"/>
        <source>Homemaker service</source>
        <translation>Servicio de ayuda en el hogar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="113"/>
        <source>Respite care</source>
        <translation>Cuidado de relevo</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="114"/>
        <source>Home health aide services</source>
        <translation>Servicios de asistente de salud en el hogar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="115"/>
        <source>Skilled nursing by an RN</source>
        <translation>Enfermería especializada (RN)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="116"/>
        <source>Skilled nursing by an LPN</source>
        <translation>Enfermería especializada (LPN)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="117"/>
        <source>Physical therapy</source>
        <translation>Fisioterapia</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="118"/>
        <source>Occupational therapy</source>
        <translation>Terapia ocupacional</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="119"/>
        <source>Speech-language pathology</source>
        <translation>Terapia del habla y lenguaje</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="120"/>
        <source>Medical social services</source>
        <translation>Servicios sociales médicos</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="121"/>
        <source>Home health aide or CNA</source>
        <translation>Asistente de salud en el hogar o CNA</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="122"/>
        <source>Nursing care by an RN</source>
        <translation>Cuidado de enfermería (RN)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="123"/>
        <source>Nursing care by an LPN</source>
        <translation>Cuidado de enfermería (LPN)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="124"/>
        <source>Home visit for help with daily living</source>
        <translation>Visita a domicilio para ayuda con la vida diaria</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="125"/>
        <source>15 min</source>
        <translation>15 min</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="126"/>
        <source>hour</source>
        <translation>hora</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="127"/>
        <source>visit</source>
        <translation>visita</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="128"/>
        <source>day</source>
        <translation>día</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="129"/>
        <source>open</source>
        <translation>abierta</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="130"/>
        <source>approved</source>
        <translation>aprobada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="131"/>
        <source>rejected</source>
        <translation>rechazada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="132"/>
        <source>withdrawn</source>
        <translation>retirada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="133"/>
        <source>Oral</source>
        <translation>Oral</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="134"/>
        <source>Sublingual</source>
        <translation>Sublingual</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="135"/>
        <source>Topical</source>
        <translation>Tópica</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="136"/>
        <source>Transdermal</source>
        <translation>Transdérmica</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="137"/>
        <source>Inhaled</source>
        <translation>Inhalada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="138"/>
        <source>Nasal</source>
        <translation>Nasal</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="139"/>
        <source>Ophthalmic</source>
        <translation>Oftálmica</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="140"/>
        <source>Otic</source>
        <translation>Ótica</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="141"/>
        <source>Subcutaneous</source>
        <translation>Subcutánea</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="142"/>
        <source>Intramuscular</source>
        <translation>Intramuscular</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="143"/>
        <source>Intravenous</source>
        <translation>Intravenosa</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="144"/>
        <source>Rectal</source>
        <translation>Rectal</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="145"/>
        <source>Enteral tube</source>
        <translation>Sonda enteral</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="146"/>
        <source>Other</source>
        <translation>Otra</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="147"/>
        <source>mild</source>
        <translation>leve</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="148"/>
        <source>moderate</source>
        <translation>moderada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="149"/>
        <source>severe</source>
        <translation>grave</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="150"/>
        <source>unknown</source>
        <translation>sin especificar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="151"/>
        <source>female</source>
        <translation>mujer</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="152"/>
        <source>male</source>
        <translation>hombre</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="153"/>
        <source>other</source>
        <translation>otro</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="155"/>
        <source>Bathing</source>
        <translation>Baño</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="156"/>
        <source>Dressing</source>
        <translation>Vestirse</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="157"/>
        <source>Toileting</source>
        <translation>Uso del baño</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="158"/>
        <source>Transferring</source>
        <translation>Traslados</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="159"/>
        <source>Continence care</source>
        <translation>Cuidado de la continencia</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="160"/>
        <source>Feeding</source>
        <translation>Alimentación</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="161"/>
        <source>Grooming and oral care</source>
        <translation>Aseo personal y bucal</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="162"/>
        <source>Walking and mobility</source>
        <translation>Caminar y movilidad</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="163"/>
        <source>Meal preparation</source>
        <translation>Preparación de comidas</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="164"/>
        <source>Light housekeeping</source>
        <translation>Limpieza ligera</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="165"/>
        <source>Laundry</source>
        <translation>Lavandería</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="166"/>
        <source>Shopping and errands</source>
        <translation>Compras y mandados</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="167"/>
        <source>Medication reminder</source>
        <translation>Recordatorio de medicamentos</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="168"/>
        <source>Escort to appointments</source>
        <translation>Acompañar a citas</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="169"/>
        <source>Vital signs</source>
        <translation>Signos vitales</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="170"/>
        <source>Medication administration</source>
        <translation>Administración de medicamentos</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="171"/>
        <source>Wound care</source>
        <translation>Cuidado de heridas</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="172"/>
        <source>Assessment</source>
        <translation>Valoración</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="206"/>
        <source>{code} {description} (per {unit})</source>
        <translation>{code} {description} (por {unit})</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="214"/>
        <source>{minutes} min after the start</source>
        <translation>{minutes} min después del inicio</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="215"/>
        <source>{minutes} min before the start</source>
        <translation>{minutes} min antes del inicio</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="216"/>
        <source>{minutes} min before the end</source>
        <translation>{minutes} min antes del final</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="217"/>
        <source>{minutes} min after the end</source>
        <translation>{minutes} min después del final</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="218"/>
        <source>{minutes} min of {scheduled} min</source>
        <translation>{minutes} min de {scheduled} min</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="219"/>
        <source>check-in {metres} m from home</source>
        <translation>entrada a {metres} m de la casa</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="220"/>
        <source>check-out {metres} m from home</source>
        <translation>salida a {metres} m de la casa</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="231"/>
        <source>no GPS position at check-in</source>
        <translation>sin posición GPS en la entrada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="232"/>
        <source>no GPS position at check-out</source>
        <translation>sin posición GPS en la salida</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="233"/>
        <source>no GPS position at check-in and check-out</source>
        <translation>sin posición GPS en la entrada ni en la salida</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="234"/>
        <source>check-in entered by hand</source>
        <translation>entrada ingresada a mano</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="235"/>
        <source>check-out entered by hand</source>
        <translation>salida ingresada a mano</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/words.py" line="236"/>
        <source>check-in and check-out entered by hand</source>
        <translation>entrada y salida ingresadas a mano</translation>
    </message>
</context>
</TS>
