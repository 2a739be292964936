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
    <name>Common</name>
    <message>
        <location filename="../../fieldapp/ui/common.py" line="194"/>
        <source>never</source>
        <translation>nunca</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/common.py" line="198"/>
        <source>just now</source>
        <translation>hace un momento</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/common.py" line="200"/>
        <source>{minutes} min ago</source>
        <translation>hace {minutes} min</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/common.py" line="202"/>
        <source>{hours} h ago</source>
        <translation>hace {hours} h</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/common.py" line="205"/>
        <source>yesterday</source>
        <translation>ayer</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/common.py" line="206"/>
        <source>{days} days ago</source>
        <translation>hace {days} días</translation>
    </message>
</context>
<context>
    <name>ConflictCard</name>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="32"/>
        <source>Changed in two places at the same time; the later change was kept.</source>
        <translation>Se cambió en dos lugares a la vez; se guardó el cambio más reciente.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="35"/>
        <source>Changed here after the record was deleted elsewhere.</source>
        <translation>Se cambió aquí después de que el registro se borrara en otro lugar.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="38"/>
        <source>A second value for something that cannot change once written; the first was kept.</source>
        <translation>Un segundo valor para algo que no puede cambiar una vez anotado; se guardó el primero.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="41"/>
        <source>Someone tried to delete a record that is never deleted; it was kept.</source>
        <translation>Alguien intentó borrar un registro que nunca se borra; se conservó.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="44"/>
        <source>Replaced by a later edit.</source>
        <translation>Reemplazado por un cambio posterior.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="51"/>
        <location filename="../../fieldapp/ui/conflicts.py" line="66"/>
        <source>(empty)</source>
        <translation>(vacío)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="54"/>
        <source>yes</source>
        <translation>sí</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="56"/>
        <source>no</source>
        <translation>no</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="72"/>
        <source>Record number</source>
        <translation>Número de expediente</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="73"/>
        <source>Given name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="74"/>
        <source>Family name</source>
        <translation>Apellidos</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="75"/>
        <source>Date of birth</source>
        <translation>Fecha de nacimiento</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="76"/>
        <source>Sex</source>
        <translation>Sexo</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="77"/>
        <source>Phone</source>
        <translation>Teléfono</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="78"/>
        <source>Address</source>
        <translation>Dirección</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="79"/>
        <source>Emergency contact</source>
        <translation>Contacto de emergencia</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="80"/>
        <source>Allergies</source>
        <translation>Alergias</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="81"/>
        <source>Diagnoses</source>
        <translation>Diagnósticos</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="82"/>
        <source>Care plan</source>
        <translation>Plan de cuidados</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="83"/>
        <source>Active</source>
        <translation>Activo</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="84"/>
        <source>Scheduled start</source>
        <translation>Inicio previsto</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="85"/>
        <source>Scheduled end</source>
        <translation>Fin previsto</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="86"/>
        <source>Service</source>
        <translation>Servicio</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="87"/>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="88"/>
        <source>Check in</source>
        <translation>Llegada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="89"/>
        <source>Check out</source>
        <translation>Salida</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="90"/>
        <source>Text</source>
        <translation>Texto</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="91"/>
        <source>Value</source>
        <translation>Valor</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="92"/>
        <source>Unit</source>
        <translation>Unidad</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="114"/>
        <source>The office cancelled this visit after it had started; the visit and its record were kept.</source>
        <translation>La oficina canceló esta visita después de que empezó; se conservaron la visita y su registro.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="119"/>
        <source>The office sets the schedule; its value was kept.</source>
        <translation>La oficina fija el horario; se conservó su valor.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="120"/>
        <source>What happened at the visit is recorded in the field; the office&apos;s change did not replace it.</source>
        <translation>Lo que pasó en la visita se registra en campo; el cambio de la oficina no lo reemplazó.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="135"/>
        <source>Conflict: {record}, {field}</source>
        <translation>Conflicto: {record}, {field}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="151"/>
        <source>Kept now</source>
        <translation>Guardado ahora</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="154"/>
        <source>Lost</source>
        <translation>Descartado</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="164"/>
        <source>Keep</source>
        <translation>Conservar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="164"/>
        <source>Keep the current value of {field}</source>
        <translation>Conservar el valor actual de {field}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="167"/>
        <source>Restore mine</source>
        <translation>Recuperar el mío</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="167"/>
        <source>Restore this value</source>
        <translation>Recuperar este valor</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="169"/>
        <source>Restore the value of {field} that lost</source>
        <translation>Recuperar el valor descartado de {field}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="187"/>
        <source>{title}, written by {who}, {when}</source>
        <translation>{title}, anotado por {who}, {when}</translation>
    </message>
</context>
<context>
    <name>ConflictsScreen</name>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="211"/>
        <location filename="../../fieldapp/ui/conflicts.py" line="223"/>
        <source>Conflicts</source>
        <translation>Conflictos</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="226"/>
        <source>Someone else changed the same thing while this tablet was offline (or the other way round). The newer change was kept; the other value is kept here so nothing is lost. Keep what is right now, or bring the other value back.</source>
        <translation>Otra persona cambió el mismo dato mientras esta tableta estaba sin conexión (o al revés). Se guardó el cambio más reciente; el otro valor se conserva aquí para que no se pierda nada. Conserve el que es correcto ahora o recupere el otro.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="234"/>
        <source>No conflicts. Everything changed here and at the office fits together.</source>
        <translation>No hay conflictos. Todo lo que se cambió aquí y en la oficina coincide.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="242"/>
        <source>Conflicts list</source>
        <translation>Lista de conflictos</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="250"/>
        <source>nobody</source>
        <translation>nadie</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="252"/>
        <source>this tablet</source>
        <translation>esta tableta</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="254"/>
        <source>the office</source>
        <translation>la oficina</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="256"/>
        <source>device {node}</source>
        <translation>dispositivo {node}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/conflicts.py" line="288"/>
        <source>This value cannot be restored: {problem}</source>
        <translation>No se puede recuperar este valor: {problem}</translation>
    </message>
</context>
<context>
    <name>EndOfDayScreen</name>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/screen.py" line="244"/>
        <source>{count} change(s) on this tablet have not reached the office yet. Sync now before submitting, so the office&apos;s receipt can confirm them.</source>
        <translation>{count} cambio(s) de esta tableta aún no han llegado a la oficina. Sincronice antes de enviar, para que el acuse de la oficina pueda confirmarlos.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/screen.py" line="302"/>
        <source>The sync did not finish: {problem}</source>
        <translation>La sincronización no terminó: {problem}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/screen.py" line="306"/>
        <source>Synced. {count} change(s) made since then are still to send.</source>
        <translation>Sincronizado. Quedan por enviar {count} cambio(s) hechos desde entonces.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/end_of_day/screen.py" line="310"/>
        <source>Synced: every change on this tablet has reached the office.</source>
        <translation>Sincronizado: todos los cambios de esta tableta han llegado a la oficina.</translation>
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
        <location filename="../../fieldapp/ui/visit/in_error.py" line="31"/>
        <source>Why it was entered in error</source>
        <translation>Por qué se registró por error</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/in_error.py" line="32"/>
        <source>Why? For example: wrong patient, tapped the wrong row</source>
        <translation>¿Por qué? Por ejemplo: paciente equivocado, tocó la fila equivocada</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/in_error.py" line="39"/>
        <source>Mark entered in error</source>
        <translation>Marcar como registrado por error</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/in_error.py" line="40"/>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/in_error.py" line="49"/>
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
        <location filename="../../fieldapp/qt/lock.py" line="145"/>
        <source>Too many wrong passwords. Try again in {wait}.</source>
        <translation>Demasiadas contraseñas incorrectas. Vuelva a intentarlo en {wait}.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/lock.py" line="151"/>
        <source>Enter your password.</source>
        <translation>Escriba su contraseña.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/lock.py" line="165"/>
        <source>The password could not be checked because of a problem in the app: {problem}</source>
        <translation>No se pudo comprobar la contraseña por un problema de la aplicación: {problem}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/lock.py" line="196"/>
        <source>Too many wrong passwords: try again in {wait}.</source>
        <translation>Demasiadas contraseñas incorrectas: vuelva a intentarlo en {wait}.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/lock.py" line="205"/>
        <source>{tries} more tries before a pause.</source>
        <translation>Le quedan {tries} intentos antes de una pausa.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/lock.py" line="209"/>
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
</context>
<context>
    <name>Navigation</name>
    <message>
        <location filename="../../fieldapp/app.py" line="141"/>
        <source>Today</source>
        <translation>Hoy</translation>
    </message>
    <message>
        <location filename="../../fieldapp/app.py" line="144"/>
        <source>Patients</source>
        <translation>Pacientes</translation>
    </message>
    <message>
        <location filename="../../fieldapp/app.py" line="149"/>
        <source>Conflicts</source>
        <translation>Conflictos</translation>
    </message>
    <message>
        <location filename="../../fieldapp/app.py" line="162"/>
        <source>End of day</source>
        <translation>Fin del día</translation>
    </message>
    <message>
        <location filename="../../fieldapp/app.py" line="165"/>
        <source>Settings</source>
        <translation>Ajustes</translation>
    </message>
</context>
<context>
    <name>PatientList</name>
    <message>
        <location filename="../../fieldapp/qt/lists.py" line="53"/>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/lists.py" line="54"/>
        <source>Record no.</source>
        <translation>N.º de expediente</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/lists.py" line="55"/>
        <source>Born</source>
        <translation>Nacimiento</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/lists.py" line="56"/>
        <source>Town</source>
        <translation>Localidad</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/lists.py" line="57"/>
        <source>Allergies</source>
        <translation>Alergias</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/lists.py" line="126"/>
        <source>Yes</source>
        <translation>Sí</translation>
    </message>
</context>
<context>
    <name>PatientsScreen</name>
    <message>
        <location filename="../../fieldapp/ui/patients.py" line="45"/>
        <source>Search by name or record number</source>
        <translation>Buscar por nombre o número de expediente</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patients.py" line="46"/>
        <source>Search patients</source>
        <translation>Buscar pacientes</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patients.py" line="48"/>
        <source>Type part of a name or record number; the list updates</source>
        <translation>Escriba parte de un nombre o número de expediente; la lista se actualiza</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patients.py" line="50"/>
        <source>Clear</source>
        <translation>Borrar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patients.py" line="50"/>
        <source>Clear search</source>
        <translation>Borrar la búsqueda</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patients.py" line="72"/>
        <location filename="../../fieldapp/ui/patients.py" line="83"/>
        <source>Patients</source>
        <translation>Pacientes</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patients.py" line="84"/>
        <source>Press Enter or tap a patient to open their record</source>
        <translation>Pulse Intro o toque un paciente para abrir su expediente</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patients.py" line="165"/>
        <source>No patient matches this search.</source>
        <translation>Ningún paciente coincide con esta búsqueda.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patients.py" line="167"/>
        <source>No patients on this tablet yet.</source>
        <translation>Todavía no hay pacientes en esta tableta.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patients.py" line="170"/>
        <source>1 patient matches</source>
        <translation>1 paciente coincide</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patients.py" line="170"/>
        <source>1 patient on this tablet</source>
        <translation>1 paciente en esta tableta</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patients.py" line="172"/>
        <source>{count} patients match</source>
        <translation>{count} pacientes coinciden</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/patients.py" line="174"/>
        <source>{count} patients on this tablet</source>
        <translation>{count} pacientes en esta tableta</translation>
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
        <location filename="../../fieldapp/ui/retired.py" line="18"/>
        <source>This tablet was removed from service</source>
        <translation>Esta tableta se retiró del servicio</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/retired.py" line="19"/>
        <source>Erasing this tablet&apos;s patient records, files and keys…</source>
        <translation>Borrando de esta tableta los registros de pacientes, los archivos y las claves…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/retired.py" line="28"/>
        <source>fieldapp – removed from service</source>
        <translation>fieldapp – retirada del servicio</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/retired.py" line="28"/>
        <source>Tablet removed from service</source>
        <translation>Tableta retirada del servicio</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/retired.py" line="40"/>
        <source>What happened</source>
        <translation>Qué pasó</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/retired.py" line="42"/>
        <source>Erasing</source>
        <translation>Borrando</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/retired.py" line="47"/>
        <source>Once the office has set it up for a worker, tap &quot;Set up again&quot; and sign in with the account they give you: the tablet gets a new identity and downloads that worker&apos;s records.</source>
        <translation>Cuando la oficina la haya preparado para otra persona, toque «Configurar de nuevo» e inicie sesión con la cuenta que le den: la tableta recibe una identidad nueva y descarga los registros de esa persona.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/retired.py" line="52"/>
        <source>Set up again</source>
        <translation>Configurar de nuevo</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/retired.py" line="52"/>
        <source>Set up this tablet again</source>
        <translation>Configurar esta tableta de nuevo</translation>
    </message>
</context>
<context>
    <name>SettingsScreen</name>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="33"/>
        <source>Every minute</source>
        <translation>Cada minuto</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="34"/>
        <source>Every 5 minutes</source>
        <translation>Cada 5 minutos</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="35"/>
        <source>Every 15 minutes</source>
        <translation>Cada 15 minutos</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="36"/>
        <source>Every 30 minutes</source>
        <translation>Cada 30 minutos</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="39"/>
        <source>After 1 minute without use</source>
        <translation>Tras 1 minuto sin usarla</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="40"/>
        <source>After 2 minutes without use</source>
        <translation>Tras 2 minutos sin usarla</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="41"/>
        <source>After 5 minutes without use</source>
        <translation>Tras 5 minutos sin usarla</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="42"/>
        <source>After 10 minutes without use</source>
        <translation>Tras 10 minutos sin usarla</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="43"/>
        <source>After 15 minutes without use</source>
        <translation>Tras 15 minutos sin usarla</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="46"/>
        <source>Standard</source>
        <translation>Normales</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="47"/>
        <source>High contrast (bright sunlight)</source>
        <translation>Alto contraste (para pleno sol)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="50"/>
        <source>worker</source>
        <translation>personal de campo</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="51"/>
        <source>office</source>
        <translation>oficina</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="52"/>
        <source>administrator</source>
        <translation>administración</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="55"/>
        <source>Small</source>
        <translation>Pequeño</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="56"/>
        <source>Normal</source>
        <translation>Normal</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="57"/>
        <source>Large</source>
        <translation>Grande</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="63"/>
        <source>Sign out?</source>
        <translation>¿Cerrar sesión?</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="69"/>
        <source>Stay signed in</source>
        <translation>Seguir con la sesión abierta</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="98"/>
        <location filename="../../fieldapp/ui/settings.py" line="109"/>
        <source>Settings</source>
        <translation>Ajustes</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="115"/>
        <source>Account</source>
        <translation>Cuenta</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="119"/>
        <source>Signed in as {user} ({role})</source>
        <translation>Sesión de {user} ({role})</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="130"/>
        <source>Opened offline: sync starts by itself when the office server can be reached.</source>
        <translation>Abierta sin conexión: la sincronización empieza sola cuando se pueda llegar al servidor de la oficina.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="135"/>
        <source>This tablet: device {id}</source>
        <translation>Esta tableta: dispositivo {id}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="138"/>
        <source>Data folder: {folder}</source>
        <translation>Carpeta de datos: {folder}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="140"/>
        <source>fieldapp version {version}</source>
        <translation>fieldapp, versión {version}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="145"/>
        <source>Language and display</source>
        <translation>Idioma y pantalla</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="147"/>
        <source>Same as this tablet</source>
        <translation>El de esta tableta</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="148"/>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="150"/>
        <source>Colours</source>
        <translation>Colores</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="153"/>
        <source>Text size</source>
        <translation>Tamaño del texto</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="154"/>
        <source>Colours and text size change at once.</source>
        <translation>Los colores y el tamaño del texto cambian al momento.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="175"/>
        <source>Office server</source>
        <translation>Servidor de la oficina</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="177"/>
        <location filename="../../fieldapp/ui/settings.py" line="178"/>
        <source>Server address</source>
        <translation>Dirección del servidor</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="180"/>
        <source>Save</source>
        <translation>Guardar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="180"/>
        <source>Save server address</source>
        <translation>Guardar la dirección del servidor</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="186"/>
        <source>A new address is used from the next sign-in.</source>
        <translation>Una dirección nueva se usa a partir del próximo inicio de sesión.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="194"/>
        <source>Sync</source>
        <translation>Sincronización</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="195"/>
        <source>Check with the office</source>
        <translation>Consultar con la oficina</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="196"/>
        <source>How often to sync</source>
        <translation>Cada cuánto sincronizar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="199"/>
        <source>Every {minutes} minutes</source>
        <translation>Cada {minutes} minutos</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="201"/>
        <source>Your changes are also sent a few seconds after you save them, and as soon as the connection comes back.</source>
        <translation>Sus cambios también se envían unos segundos después de guardarlos, y en cuanto vuelve la conexión.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="210"/>
        <source>Screen lock</source>
        <translation>Bloqueo de pantalla</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="211"/>
        <location filename="../../fieldapp/ui/settings.py" line="212"/>
        <source>Lock the tablet</source>
        <translation>Bloquear la tableta</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="215"/>
        <source>After {minutes} minutes without use</source>
        <translation>Tras {minutes} minutos sin usarla</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="217"/>
        <source>The tablet also locks when Windows locks and when you tap &quot;Lock now&quot;. Your password opens it again, without a connection; what you were doing stays as it was.</source>
        <translation>La tableta también se bloquea cuando se bloquea Windows y cuando usted toca «Bloquear ahora». Su contraseña la vuelve a abrir, sin conexión; lo que estaba haciendo queda como estaba.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="66"/>
        <location filename="../../fieldapp/ui/settings.py" line="249"/>
        <location filename="../../fieldapp/ui/settings.py" line="259"/>
        <source>Sign out</source>
        <translation>Cerrar sesión</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="253"/>
        <source>Signing out ends your session on this tablet. Your records and unsent changes stay here and are sent after the next sign-in, which needs a connection.</source>
        <translation>Al cerrar sesión termina su sesión en esta tableta. Sus registros y los cambios sin enviar se quedan aquí y se envían al volver a iniciar sesión, lo que necesita conexión.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="275"/>
        <source>Saved. The new address is used from the next sign-in.</source>
        <translation>Guardado. La dirección nueva se usa a partir del próximo inicio de sesión.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="283"/>
        <location filename="../../fieldapp/ui/settings.py" line="293"/>
        <source>Saved; applies now.</source>
        <translation>Guardado; ya está en uso.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="285"/>
        <source>Saved; applies from the next start of the app.</source>
        <translation>Guardado; se aplica la próxima vez que abra la aplicación.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="295"/>
        <source>Saved; applies from the next sign-in.</source>
        <translation>Guardado; se aplica a partir del próximo inicio de sesión.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="303"/>
        <source>Saved. The app already speaks this language.</source>
        <translation>Guardado. La aplicación ya está en este idioma.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="306"/>
        <source>Saved. The app speaks the new language from its next start.</source>
        <translation>Guardado. La aplicación cambiará de idioma la próxima vez que la abra.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="312"/>
        <source>Saved; shown now.</source>
        <translation>Guardado; ya se ve así.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="322"/>
        <source>1 change has not reached the office yet. It stays on this tablet and is sent after you sign in again (which needs a connection). Sign out now?</source>
        <translation>1 cambio todavía no ha llegado a la oficina. Se queda en esta tableta y se envía cuando vuelva a iniciar sesión (lo que necesita conexión). ¿Cerrar sesión ahora?</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/settings.py" line="327"/>
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
        <location filename="../../fieldapp/qt/signin.py" line="86"/>
        <source>Wrong user name or password.</source>
        <translation>Nombre de usuario o contraseña incorrectos.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/session.py" line="178"/>
        <source>This tablet keeps no password check for you, so it cannot be unlocked here. Sign out, then sign in online.</source>
        <translation>Esta tableta no tiene guardada su contraseña, así que no se puede desbloquear aquí. Cierre la sesión y vuelva a iniciarla en línea.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/qt/signin.py" line="111"/>
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
        <location filename="../../fieldapp/ui/signature_pad/canvas.py" line="223"/>
        <source>Sign above the line</source>
        <translation>Firme encima de la línea</translation>
    </message>
</context>
<context>
    <name>SignaturePad</name>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="47"/>
        <source>Patient</source>
        <translation>Paciente</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="48"/>
        <source>Spouse</source>
        <translation>Cónyuge</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="49"/>
        <source>Son or daughter</source>
        <translation>Hijo o hija</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="50"/>
        <source>Parent</source>
        <translation>Padre o madre</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="51"/>
        <source>Legal guardian</source>
        <translation>Tutor legal</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="52"/>
        <source>Caregiver</source>
        <translation>Cuidador o cuidadora</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="53"/>
        <source>Other representative</source>
        <translation>Otro representante</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="128"/>
        <source>Signature</source>
        <translation>Firma</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="131"/>
        <source>Signature pad</source>
        <translation>Panel de firma</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="144"/>
        <source>What you agree to by signing</source>
        <translation>Lo que acepta al firmar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="164"/>
        <source>Nothing recorded yet.</source>
        <translation>Todavía no hay nada registrado.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="166"/>
        <source>What was recorded at this visit</source>
        <translation>Lo que se registró en esta visita</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="190"/>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="200"/>
        <source>Name of the person signing</source>
        <translation>Nombre de quien firma</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="195"/>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="201"/>
        <source>Signing as</source>
        <translation>Firma como</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="208"/>
        <source>Undo</source>
        <translation>Deshacer</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="208"/>
        <source>Undo the last stroke</source>
        <translation>Deshacer el último trazo</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="209"/>
        <source>Clear</source>
        <translation>Borrar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="209"/>
        <source>Clear the signature</source>
        <translation>Borrar la firma</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="210"/>
        <source>Unable to sign…</source>
        <translation>No puede firmar…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="210"/>
        <source>Record why nobody can sign</source>
        <translation>Anotar por qué nadie puede firmar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="211"/>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="211"/>
        <source>Cancel signing</source>
        <translation>Cancelar la firma</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="212"/>
        <source>Sign</source>
        <translation>Firmar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="212"/>
        <source>Sign and lock the visit</source>
        <translation>Firmar y cerrar la visita</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="265"/>
        <source>Write the name of the patient or representative who could not sign.</source>
        <translation>Escriba el nombre del paciente o del representante que no pudo firmar.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="273"/>
        <source>Sign in the white area first.</source>
        <translation>Primero firme en la zona blanca.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="276"/>
        <source>Write the name of the person signing.</source>
        <translation>Escriba el nombre de quien firma.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/signature.py" line="45"/>
        <source>Note ({time}): {text}</source>
        <translation>Nota ({time}): {text}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/signature.py" line="55"/>
        <source>Vital sign ({time}): {what} {value} {unit}</source>
        <translation>Signo vital ({time}): {what} {value} {unit}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/signature.py" line="64"/>
        <source>Task: {task}: {outcome}</source>
        <translation>Tarea: {task}: {outcome}</translation>
    </message>
</context>
<context>
    <name>SyncStatusBar</name>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="27"/>
        <source>Connecting to the office…</source>
        <translation>Conectando con la oficina…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="28"/>
        <source>Sending your changes</source>
        <translation>Enviando sus cambios</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="29"/>
        <source>Receiving records</source>
        <translation>Recibiendo registros</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="68"/>
        <source>Conflicts</source>
        <translation>Conflictos</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="68"/>
        <source>Show the conflicts to look at</source>
        <translation>Ver los conflictos por revisar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="72"/>
        <location filename="../../fieldapp/ui/sync_status.py" line="73"/>
        <location filename="../../fieldapp/ui/sync_status.py" line="129"/>
        <location filename="../../fieldapp/ui/sync_status.py" line="154"/>
        <source>Sync now</source>
        <translation>Sincronizar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="75"/>
        <source>Send and receive changes now (F5)</source>
        <translation>Enviar y recibir cambios ahora (F5)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="80"/>
        <source>Sync progress</source>
        <translation>Progreso de la sincronización</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="96"/>
        <source>Last sync problem</source>
        <translation>Último problema de sincronización</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="99"/>
        <source>Tablet clock</source>
        <translation>Reloj de la tableta</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="139"/>
        <source>Sync is not part of this build: changes stay on this tablet.</source>
        <translation>Esta versión no sincroniza: los cambios se quedan en esta tableta.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="129"/>
        <location filename="../../fieldapp/ui/sync_status.py" line="154"/>
        <location filename="../../fieldapp/ui/sync_status.py" line="188"/>
        <source>Syncing…</source>
        <translation>Sincronizando…</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="190"/>
        <source>Online</source>
        <translation>En línea</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="192"/>
        <source>Offline</source>
        <translation>Sin conexión</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="194"/>
        <source>Network unknown</source>
        <translation>Red desconocida</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="196"/>
        <source>Connection: {state}</source>
        <translation>Conexión: {state}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="201"/>
        <source>1 change not sent yet</source>
        <translation>1 cambio sin enviar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="204"/>
        <source>{count} changes not sent yet</source>
        <translation>{count} cambios sin enviar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="208"/>
        <source>All changes sent</source>
        <translation>Todos los cambios enviados</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="210"/>
        <source>{count} refused by the office</source>
        <translation>{count} rechazados por la oficina</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="216"/>
        <source>{count} to check</source>
        <translation>{count} por revisar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="218"/>
        <source>Conflicts: {count}</source>
        <translation>Conflictos: {count}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="224"/>
        <source>Never synced with the office yet</source>
        <translation>Todavía no se ha sincronizado con la oficina</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="226"/>
        <source>Last sync: {when}</source>
        <translation>Última sincronización: {when}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="235"/>
        <source>Syncing</source>
        <translation>Sincronizando</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="239"/>
        <source>{stage}: {done} of {total}</source>
        <translation>{stage}: {done} de {total}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="271"/>
        <source>{count} minutes</source>
        <translation>{count} minutos</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="275"/>
        <source>1 hour</source>
        <translation>1 hora</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="277"/>
        <source>{count} hours</source>
        <translation>{count} horas</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="280"/>
        <source>{count} days</source>
        <translation>{count} días</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="284"/>
        <source>This tablet&apos;s clock is {amount} behind; your changes are dated by the office&apos;s clock.</source>
        <translation>El reloj de esta tableta va {amount} atrasado; sus cambios llevan la hora de la oficina.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="289"/>
        <source>This tablet&apos;s clock is {amount} ahead; your changes are dated by the office&apos;s clock.</source>
        <translation>El reloj de esta tableta va {amount} adelantado; sus cambios llevan la hora de la oficina.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="296"/>
        <source>Ask your office to set the tablet&apos;s date and time.</source>
        <translation>Pida a la oficina que ajuste la fecha y la hora de la tableta.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/sync_status.py" line="307"/>
        <source>Last sync did not finish: {problem}</source>
        <translation>La última sincronización no terminó: {problem}</translation>
    </message>
</context>
<context>
    <name>TaskHistory</name>
    <message>
        <location filename="../../fieldapp/ui/task_history.py" line="25"/>
        <source>entered in error: {reason}</source>
        <translation>registrado por error: {reason}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/task_history.py" line="37"/>
        <source>No task outcomes recorded yet.</source>
        <translation>Aún no hay resultados de tareas registrados.</translation>
    </message>
</context>
<context>
    <name>UnableToSignDialog</name>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="40"/>
        <source>Patient is physically unable to sign</source>
        <translation>El paciente no puede firmar físicamente</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="41"/>
        <source>Patient declined to sign</source>
        <translation>El paciente no quiso firmar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="42"/>
        <source>Patient was asleep or not responsive</source>
        <translation>El paciente estaba dormido o no respondía</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="43"/>
        <source>No representative present to sign</source>
        <translation>No había ningún representante para firmar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="63"/>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="64"/>
        <source>Unable to sign</source>
        <translation>No puede firmar</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="67"/>
        <source>Why can nobody sign for this visit? This is recorded instead of a signature.</source>
        <translation>¿Por qué nadie puede firmar esta visita? Esto se anota en lugar de una firma.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="70"/>
        <source>Reason</source>
        <translation>Motivo</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="73"/>
        <source>Other (write the reason below)</source>
        <translation>Otro (escriba el motivo abajo)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="77"/>
        <source>Details</source>
        <translation>Detalles</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="78"/>
        <source>Details (required for &apos;Other&apos;)</source>
        <translation>Detalles (obligatorio para «Otro»)</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="87"/>
        <source>Record reason</source>
        <translation>Anotar el motivo</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="88"/>
        <source>Back</source>
        <translation>Volver</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="88"/>
        <source>Back to signing</source>
        <translation>Volver a la firma</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/signature_pad/pad.py" line="103"/>
        <source>Write the reason nobody could sign.</source>
        <translation>Escriba por qué nadie pudo firmar.</translation>
    </message>
</context>
<context>
    <name>VitalsPanel</name>
    <message>
        <location filename="../../fieldapp/ui/visit/vitals.py" line="67"/>
        <source>Blood pressure</source>
        <translation>Presión arterial</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/vitals.py" line="118"/>
        <source>e.g. 120/80</source>
        <translation>p. ej. 120/80</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/vitals.py" line="118"/>
        <source>Value</source>
        <translation>Valor</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/vitals.py" line="127"/>
        <source>Systolic/diastolic in mmHg, the higher number first: 120/80</source>
        <translation>Sistólica/diastólica en mmHg, el número mayor primero: 120/80</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/vitals.py" line="131"/>
        <source>Plausible range: {low}–{high} {unit}</source>
        <translation>Rango plausible: {low}–{high} {unit}</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/vitals.py" line="140"/>
        <source>blood pressure</source>
        <translation>presión arterial</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/vitals.py" line="142"/>
        <source>Type the {what} value.</source>
        <translation>Escriba el valor de {what}.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/vitals.py" line="147"/>
        <source>“{text}” is not a number.</source>
        <translation>«{text}» no es un número.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/vitals.py" line="149"/>
        <source>Choose the unit.</source>
        <translation>Elija la unidad.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/vitals.py" line="153"/>
        <source>{what} of {value} {unit} is outside the plausible range {low}–{high} {unit}. Check the reading and the unit.</source>
        <translation>{what} de {value} {unit} está fuera del rango plausible {low}–{high} {unit}. Revise la lectura y la unidad.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/vitals.py" line="164"/>
        <source>systolic</source>
        <translation>sistólica</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/vitals.py" line="164"/>
        <source>diastolic</source>
        <translation>diastólica</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/vitals.py" line="166"/>
        <source>A {which} pressure of {value} mmHg is outside the plausible range {low}–{high}. Check the reading.</source>
        <translation>Una presión {which} de {value} mmHg está fuera del rango plausible {low}–{high}. Revise la lectura.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/vitals.py" line="171"/>
        <source>The systolic pressure ({systolic}) must be higher than the diastolic ({diastolic}): type the higher number first, e.g. 120/80.</source>
        <translation>La presión sistólica ({systolic}) debe ser mayor que la diastólica ({diastolic}): escriba primero el número mayor, p. ej. 120/80.</translation>
    </message>
    <message>
        <location filename="../../fieldapp/ui/visit/vitals.py" line="175"/>
        <source>Type the blood pressure as two numbers with a slash, systolic first, e.g. 120/80 (not “{text}”).</source>
        <translation>Escriba la presión arterial como dos números separados por una barra, la sistólica primero, p. ej. 120/80 (no «{text}»).</translation>
    </message>
</context>
</TS>
