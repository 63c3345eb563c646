"""interop stage: the gap-map.org export in (`import_gapmap_org`), machine-readable exports out
(`export_json`, `export_csv`, `export_gapmap_org`, `write_export`), and which files changed in git."""

from gapmap.interop.exporter import export_csv, export_files, export_gapmap_org, export_json, write_export
from gapmap.interop.importer import import_gapmap_org

__all__ = ["export_csv", "export_files", "export_gapmap_org", "export_json", "import_gapmap_org", "write_export"]
