"""The export files, drawn from the plain tables of facilitation.exports: Excel, Word, zip.

    xlsx.workbook(data) / xlsx.samrad_workbook(data)   -> bytes
    docx.report(data)                                   -> bytes
    archive.archive(data)                               -> bytes
"""
