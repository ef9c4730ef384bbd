"""Run by Pyodide's own interpreter (sitebuild/compile_runtime.mjs), never by the build's Python: it compiles for
the interpreter that will run the code (its bytecode and magic number differ from the host's).

``traced_modules`` must be called before anything else here imports a module: its answer is the trimmed library.
"""

import sys

# 1980-01-01, the zip format's epoch: the same inputs give the same bytes.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def _stdlib_zip():
    return next(entry for entry in sys.path if entry.endswith(".zip"))


def traced_modules():
    """(module name, path inside the standard library zip) of every module imported so far from that zip."""
    prefix = _stdlib_zip() + "/"
    found = []
    for name, module in sorted(sys.modules.items()):
        location = getattr(module, "__file__", None) or ""
        if location.startswith(prefix):
            found.append((name, location[len(prefix):]))
    return found


def _compiled(source, filename):
    """Unchecked hash-based .pyc bytes: no timestamp in them, and no source needed beside them.

    Compiled as ``python -OO`` would: without docstrings (15 % of the library, stored on every device) and asserts.
    Nothing the worker runs reads a docstring: the engine never does (tested), the standard library supports -OO,
    and Pyodide's own modules check ``__doc__`` for None where they read it.
    """
    import importlib.util
    from importlib._bootstrap_external import _code_to_hash_pyc

    code = compile(source, filename, "exec", dont_inherit=True, optimize=2)
    return bytes(_code_to_hash_pyc(code, importlib.util.source_hash(source), checked=False))


def _write_zip(path, entries):
    import zipfile

    with zipfile.ZipFile(path, "w") as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16
            info.create_system = 3
            archive.writestr(info, entries[name], compresslevel=9)


def _record_line(name, data):
    import base64
    import hashlib

    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def compile_runtime(traced, source_wheel, out):
    """Write the trimmed library and the compiled engine wheel into ``out``; returns their file names."""
    import os
    import zipfile

    import engine

    os.makedirs(out, exist_ok=True)
    stdlib = _stdlib_zip()
    entries = {}
    with zipfile.ZipFile(stdlib) as source:
        present = set(source.namelist())
        for _module, inside in traced:
            if inside.endswith(".py") and inside in present:
                entries[inside[:-3] + ".pyc"] = _compiled(source.read(inside), f"{stdlib}/{inside}")
    stdlib_name = "python_stdlib.compiled.zip"
    _write_zip(f"{out}/{stdlib_name}", entries)

    tag = f"cp{sys.version_info.major}{sys.version_info.minor}"
    site_packages = os.path.dirname(os.path.dirname(engine.__file__))
    wheel_name = os.path.basename(source_wheel).replace("-py3-none-any.whl", f"-{tag}-none-any.whl")
    files = {}
    record = None
    with zipfile.ZipFile(source_wheel) as wheel:
        for name in wheel.namelist():
            data = wheel.read(name)
            if name.endswith(".dist-info/RECORD"):
                record = name
            elif name.endswith(".py"):
                files[name[:-3] + ".pyc"] = _compiled(data, f"{site_packages}/{name}")
            elif name.endswith(".dist-info/WHEEL"):
                files[name] = data.replace(b"Tag: py3-none-any", f"Tag: {tag}-none-any".encode())
            else:
                files[name] = data
    if record is None:
        raise ValueError(f"{source_wheel} has no RECORD")
    lines = [_record_line(name, data) for name, data in sorted(files.items())] + [f"{record},,"]
    files[record] = ("\n".join(lines) + "\n").encode()
    _write_zip(f"{out}/{wheel_name}", files)
    return {"stdlib": stdlib_name, "wheel": wheel_name, "python": sys.version.split()[0]}
