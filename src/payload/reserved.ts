/**
 * Names a feature may not take, because the generated package would shadow them.
 * Generated from CPython 3.11 (keyword, builtins, sys.stdlib_module_names) plus the modules
 * added or removed in 3.10-3.14, limited to names the feature pattern can match.
 */
const wordSet = (words: string) => new Set(words.trim().split(/\s+/));

export const PYTHON_KEYWORDS = wordSet(`
  and as assert async await break case class continue def del elif else except finally for from
  global if import in is lambda match nonlocal not or pass raise return try type while with yield
`);

export const PYTHON_BUILTINS = wordSet(`
  abs aiter all anext any ascii bin bool breakpoint bytearray bytes callable chr classmethod
  compile complex copyright credits delattr dict dir divmod enumerate eval exec exit filter float
  format frozenset getattr globals hasattr hash help hex id input int isinstance issubclass iter
  len license list locals map max memoryview min next object oct open ord pow print property quit
  range repr reversed round set setattr slice sorted staticmethod str sum super tuple vars zip
`);

export const STDLIB_MODULES = wordSet(`
  abc aifc annotationlib antigravity argparse array ast asynchat asyncio asyncore atexit audioop
  base64 bdb binascii bisect builtins bz2 calendar cgi cgitb chunk cmath cmd code codecs codeop
  collections colorsys compileall compression concurrent configparser contextlib contextvars copy
  copyreg crypt csv ctypes curses dataclasses datetime dbm decimal difflib dis distutils doctest
  email encodings ensurepip enum errno faulthandler fcntl filecmp fileinput fnmatch fractions
  ftplib functools gc genericpath getopt getpass gettext glob graphlib grp gzip hashlib heapq
  hmac html http idlelib imaplib imghdr imp importlib inspect io ipaddress itertools json keyword
  lib2to3 linecache locale logging lzma mailbox mailcap marshal math mimetypes mmap modulefinder
  msilib msvcrt multiprocessing netrc nis nntplib nt ntpath nturl2path numbers opcode operator
  optparse os ossaudiodev pathlib pdb pickle pickletools pipes pkgutil platform plistlib poplib
  posix posixpath pprint profile pstats pty pwd py_compile pyclbr pydoc pydoc_data pyexpat queue
  quopri random re readline reprlib resource rlcompleter runpy sched secrets select selectors
  shelve shlex shutil signal site smtpd smtplib sndhdr socket socketserver spwd sqlite3
  sre_compile sre_constants sre_parse ssl stat statistics string stringprep struct subprocess
  sunau symtable sys sysconfig syslog tabnanny tarfile telnetlib tempfile termios textwrap this
  threading time timeit tkinter token tokenize tomllib trace traceback tracemalloc tty turtle
  turtledemo types typing unicodedata unittest urllib uu uuid venv warnings wave weakref
  webbrowser winreg winsound wsgiref xdrlib xml xmlrpc zipapp zipfile zipimport zlib zoneinfo
`);

/** Framework and tooling packages a backend imports, and pytest's own directory names. */
export const FRAMEWORK_NAMES = wordSet(`
  fastapi pydantic starlette uvicorn httpx pytest test tests
`);

/** Device names Windows cannot use as a file or directory name. */
export const WINDOWS_RESERVED = wordSet(`
  con prn aux nul com1 com2 com3 com4 com5 com6 com7 com8 com9 lpt1 lpt2 lpt3 lpt4 lpt5 lpt6 lpt7 lpt8 lpt9
`);

/** Columns every resource has already. */
export const RESOURCE_COLUMNS = wordSet(`id created_at updated_at`);

/**
 * Attributes a field would shadow on the Pydantic schemas or the SQLAlchemy model: Pydantic's
 * `model_*` namespace is refused by prefix; these are its v1-style methods, DeclarativeBase's
 * class attributes and the legacy query property; `self` would clash with the model's
 * constructor, which takes the columns as keyword arguments.
 */
export const MODEL_ATTRIBUTES = wordSet(`
  construct copy dict fields from_orm json parse_file parse_obj parse_raw schema schema_json
  update_forward_refs validate metadata registry query awaitable_attrs type_annotation_map
  self cls
`);

/**
 * Names the generated model and schemas import and then use inside their class bodies, where a
 * field is a class attribute: a field of one of these names would hide the import from the
 * fields after it (`date: date | None = None` reads the field, None, as its annotation).
 */
export const CLASS_BODY_IMPORTS = wordSet(`date datetime field_validator get_args mapped_column uuid4`);

/** Parameters of the generated list endpoint, which filterable fields join as query parameters. */
export const LIST_PARAMETERS = wordSet(`limit offset service`);

/**
 * Names the generated modules import or define next to a resource's classes (SQLAlchemy, Pydantic,
 * FastAPI, typing and the standard library's value types, the db layer): a resource whose class
 * name is one of them would shadow it.
 */
export const GENERATED_MODULE_NAMES = wordSet(`
  Annotated Any APIRouter Base BaseModel BigInteger Boolean ConfigDict Date DateTime Decimal
  DeclarativeBase Depends Double Enum Field ForeignKey Index Integer IntegrityError Literal Mapped
  MetaData Numeric Query Select Session SessionDep String Text TypeDecorator UniqueConstraint Uuid
  UUID Response Request HTTPException
`);
