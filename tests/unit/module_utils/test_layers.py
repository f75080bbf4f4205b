"""The layers of plugins/module_utils: the core imports no product code, products import no other product."""

import ast
import pathlib

import pytest

MODULE_UTILS = pathlib.Path(__file__).resolve().parents[3] / "plugins" / "module_utils"
PRODUCTS = ("apim", "am", "probe", "preflight", "gravitee")


def imported_packages(path):
    """The module_utils top-level names a file imports (relative or absolute)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level == 2 or "plugins.module_utils." in module:
                names.add(module.split("plugins.module_utils.")[-1].split(".")[0])
            if node.level == 2 and not module:
                names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize("path", sorted((MODULE_UTILS / "core").glob("*.py")), ids=lambda p: p.name)
def test_core_imports_no_product_code(path):
    assert not imported_packages(path) & set(PRODUCTS), path.name


@pytest.mark.parametrize("product", ["apim", "am"])
def test_a_product_does_not_import_the_other(product):
    other = {"apim": "am", "am": "apim"}[product]
    for path in (MODULE_UTILS / product).glob("*.py"):
        assert other not in imported_packages(path), path.name


def test_the_check_sees_a_product_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from ..am.client import resolve_domain\n")
    assert imported_packages(bad) == {"am"}
