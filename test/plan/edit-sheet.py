#!/usr/bin/python3
"""Edits a spreadsheet the way an approver does in LibreOffice Calc: opens FILE in LibreOffice
(through UNO), types each value into the cell of the plan row whose `row` column is N, under the
column with the given header, and saves it in its own format. Used by the plan round-trip tests.

Usage: /usr/bin/python3 edit-sheet.py FILE '[{"row": 3, "column": "approve", "value": "yes"}]'
"""
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def edit(path, edits):
    # A profile of its own, so tests running side by side do not share one LibreOffice.
    profile = tempfile.mkdtemp(prefix="lo-profile-")
    pipe = "idrecon_" + uuid.uuid4().hex
    office = subprocess.Popen(
        ["soffice", "--headless", "--invisible", "--norestore", "--nologo",
         "-env:UserInstallation=file://" + profile, "--accept=pipe,name=%s;urp;" % pipe],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        for _ in range(600):
            try:
                ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
                break
            except Exception:
                time.sleep(0.1)
        else:
            sys.exit("LibreOffice did not start")
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(path)), "_blank", 0, (prop("Hidden", True),))
        sheet = doc.Sheets.getByIndex(0)
        cursor = sheet.createCursor()
        cursor.gotoEndOfUsedArea(False)
        columns = cursor.RangeAddress.EndColumn + 1
        rows = cursor.RangeAddress.EndRow + 1
        headers = [sheet.getCellByPosition(c, 0).getString() for c in range(columns)]
        row_column = headers.index("row")
        for e in edits:
            column = headers.index(e["column"])
            row = next(r for r in range(1, rows) if sheet.getCellByPosition(row_column, r).getString() == str(e["row"]))
            sheet.getCellByPosition(column, row).setString(e["value"])
        doc.store()
        doc.close(True)
        try:
            desktop.terminate()
        except Exception:
            pass  # the bridge goes down with the office
    finally:
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    edit(sys.argv[1], json.loads(sys.argv[2]))
