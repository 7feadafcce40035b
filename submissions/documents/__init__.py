"""PDF documents of the award: the page toolkit (``pdf``), entry dossiers, books and
certificates. ReportLab draws, pypdf appends attachments and stamps every page."""
