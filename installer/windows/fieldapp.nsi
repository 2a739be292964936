; fieldapp: Windows installer of the tablet app (NSIS 3, Modern UI 2).
;
; Packs the PyInstaller one-folder bundle (dist\fieldapp, from installer\fieldapp.spec) into
; fieldapp-<version>-setup.exe:
;   - per-machine install into "Program Files\fieldapp" (asks for administrator rights);
;   - Start-menu and desktop shortcuts for all users; an entry in "Apps & features" with version and size;
;   - version information on the setup program itself;
;   - upgrade in place: running a newer setup replaces the program files in the same folder and keeps
;     every user's data (profiles live in %LOCALAPPDATA%\fieldapp, never in the program folder);
;   - an uninstaller that keeps the user's data unless asked: an unticked option "Also delete my fieldapp
;     data" (silently: uninstall.exe /S /DELETEUSERDATA).
;
; Build (Windows build machine, see .github/workflows/windows-installer.yml):
;   makensis /DVERSION=0.1.0 /DBUNDLE_DIR=<repo>\dist\fieldapp /DOUT_DIR=<repo>\dist installer\windows\fieldapp.nsi
; Check on Linux (`make installer-check`, Debian's nsis): the same with -D... and /DCHECK_ONLY, against the
; Linux bundle's layout (its program is `fieldapp`, not `fieldapp.exe`).
; Silent install for IT: fieldapp-<version>-setup.exe /S [/SERVER=https://office.example.org]
;   [/D=C:\Program Files\fieldapp]. /SERVER= writes the office server's address for every user of the tablet
;   to %PROGRAMDATA%\fieldapp\site.json (fieldapp.config.site_server_url): the sign-in screen starts with it.

Unicode true
ManifestDPIAware true
!ifdef CHECK_ONLY
  ; The Linux check proves the script compiles against the bundle; zlib does that in a fraction of LZMA's time.
  SetCompressor /SOLID zlib
!else
  SetCompressor /SOLID lzma
!endif

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"
!include "x64.nsh"
!include "Sections.nsh"

; -- what to build from ------------------------------------------------------------------------------------
!ifndef VERSION
  !error "VERSION is not defined: makensis /DVERSION=x.y.z ..."
!endif
!ifndef FILE_VERSION
  !define FILE_VERSION "${VERSION}.0" ; four numbers for the version resource
!endif
!ifndef BUNDLE_DIR
  !define BUNDLE_DIR "..\..\dist\fieldapp"
!endif
!ifndef OUT_DIR
  !define OUT_DIR "..\..\dist"
!endif
!if ! /FileExists "${BUNDLE_DIR}\_internal\base_library.zip"
  !error "no PyInstaller bundle in ${BUNDLE_DIR} (run make bundle, or pyinstaller installer\fieldapp.spec)"
!endif
!if ! /FileExists "${BUNDLE_DIR}\fieldapp.exe"
  !ifndef CHECK_ONLY
    !error "no fieldapp.exe in ${BUNDLE_DIR}: the Windows bundle is built on Windows"
  !endif
!endif

!define APP "fieldapp"
!define PUBLISHER "fieldapp"
!define EXE "fieldapp.exe"
!define CLI "fieldapp-cli.exe"
!define UNINSTALLER "uninstall.exe"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP}"
!define DATA_DIR "$LOCALAPPDATA\${APP}" ; platformdirs.user_data_dir("fieldapp") of fieldapp.config
; platformdirs.site_config_dir("fieldapp") of fieldapp.config: with SetShellVarContext all, $APPDATA is ProgramData
!define SITE_DIR "$APPDATA\${APP}"
!define SITE_FILE "site.json"

Name "${APP} ${VERSION}"
OutFile "${OUT_DIR}\${APP}-${VERSION}-setup.exe"
InstallDir "$PROGRAMFILES64\${APP}"
RequestExecutionLevel admin
ShowInstDetails show
ShowUninstDetails show
BrandingText "${APP} ${VERSION}"

; -- version information of setup.exe ----------------------------------------------------------------------
VIProductVersion "${FILE_VERSION}"
VIFileVersion "${FILE_VERSION}"
VIAddVersionKey /LANG=1033 "ProductName" "${APP}"
VIAddVersionKey /LANG=1033 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=1033 "LegalCopyright" "Proprietary"
VIAddVersionKey /LANG=1033 "FileDescription" "${APP} ${VERSION} setup"
VIAddVersionKey /LANG=1033 "FileVersion" "${VERSION}"

; -- pages -------------------------------------------------------------------------------------------------
!define MUI_ABORTWARNING
!define MUI_UNABORTWARNING
!define MUI_WELCOMEPAGE_TEXT "This installs ${APP} ${VERSION} for every user of this computer.$\r$\n$\r$\nAn installed older version is replaced in its folder; the records, settings and sign-ins kept on this computer stay as they are.$\r$\n$\r$\nClick Next to continue."
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_TEXT "${APP} ${VERSION} is installed. Start it from the desktop or the Start menu."
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!define MUI_COMPONENTSPAGE_NODESC
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "English"

; -- install -----------------------------------------------------------------------------------------------
Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP|MB_OK "${APP} needs 64-bit Windows." /SD IDOK
    Abort
  ${EndIf}
  SetRegView 64
  SetShellVarContext all
  ; An upgrade goes into the folder of the installed version (unless /D= says otherwise).
  ReadRegStr $0 HKLM "${UNINSTALL_KEY}" "InstallLocation"
  ${If} $0 != ""
  ${AndIf} $INSTDIR == "$PROGRAMFILES64\${APP}"
    StrCpy $INSTDIR $0
  ${EndIf}
FunctionEnd

Section "${APP}" SecApp
  SectionIn RO
  SetOutPath "$INSTDIR"

  ; Upgrade in place: the program must not be running, and the old program files go first (a module the
  ; new version no longer has must not linger). User data is not here, so nothing of it is touched.
  ReadRegStr $0 HKLM "${UNINSTALL_KEY}" "DisplayVersion"
  ${If} $0 != ""
    DetailPrint "Replacing ${APP} $0 in $INSTDIR; user data is kept."
  ${EndIf}
  retry:
  ClearErrors
  ${If} ${FileExists} "$INSTDIR\${EXE}"
    Delete "$INSTDIR\${EXE}"
    ${If} ${Errors}
      MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "${APP} is running. Close it, then click Retry." /SD IDCANCEL IDRETRY retry
      Abort "${APP} is running; nothing was changed."
    ${EndIf}
  ${EndIf}
  Delete "$INSTDIR\${CLI}"
  RMDir /r "$INSTDIR\_internal"

  File /r "${BUNDLE_DIR}\*.*"

  WriteUninstaller "$INSTDIR\${UNINSTALLER}"

  ; /SERVER=<address>: the sign-in screen's default for every user (an upgrade without it keeps the file).
  ${GetParameters} $0
  ClearErrors
  ${GetOptions} $0 "/SERVER=" $1
  ${IfNot} ${Errors}
  ${AndIf} $1 != ""
    CreateDirectory "${SITE_DIR}"
    FileOpen $2 "${SITE_DIR}\${SITE_FILE}" w
    FileWrite $2 '{"server_url": "$1"}$\r$\n'
    FileClose $2
    DetailPrint "Office server for every user: $1"
  ${EndIf}

  CreateShortCut "$SMPROGRAMS\${APP}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0 SW_SHOWNORMAL "" "${APP} tablet app"
  CreateShortCut "$DESKTOP\${APP}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0 SW_SHOWNORMAL "" "${APP} tablet app"

  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "${APP}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${EXE},0"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\${UNINSTALLER}"'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\${UNINSTALLER}" /S'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "EstimatedSize" "$0"
SectionEnd

; -- uninstall ---------------------------------------------------------------------------------------------
Section "-un.${APP}" SecUnApp
  Delete "$SMPROGRAMS\${APP}.lnk"
  Delete "$DESKTOP\${APP}.lnk"
  Delete "$INSTDIR\${EXE}"
  Delete "$INSTDIR\${CLI}"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${UNINSTALLER}"
  RMDir "$INSTDIR" ; only if empty: never remove files that are not ours
  Delete "${SITE_DIR}\${SITE_FILE}" ; the machine-wide settings the installer wrote
  RMDir "${SITE_DIR}"
  DeleteRegKey HKLM "${UNINSTALL_KEY}"
SectionEnd

; Unticked: the data stays unless the person asks. It is this Windows user's only: other users' profiles
; (and every user's keys in Credential Manager) are left alone.
Section /o "un.Also delete my ${APP} data (records not yet sent to the office are lost)" SecUnData
  SetShellVarContext current
  DetailPrint "Deleting ${DATA_DIR}"
  RMDir /r "${DATA_DIR}"
  SetShellVarContext all
SectionEnd

Function un.onInit
  SetRegView 64
  SetShellVarContext all
  ; Silent uninstall keeps the data too, unless /DELETEUSERDATA is given.
  ${GetParameters} $0
  ClearErrors
  ${GetOptions} $0 "/DELETEUSERDATA" $1
  ${IfNot} ${Errors}
    !insertmacro SelectSection ${SecUnData}
  ${EndIf}
FunctionEnd
