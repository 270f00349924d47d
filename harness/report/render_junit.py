"""The JUnit renderer: junit.xml from the matrix model and the summaries.

One <testsuite> per kernel of the model, one <testcase> per test point of
that kernel's summary.json (the logs of failed points are only there).
"""

import re
import xml.etree.ElementTree as ET

from model import fail_reason, first_line, norm, point_reason


XML_BAD = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text):
    """Characters XML 1.0 cannot hold (terminal escapes, NUL) become U+FFFD."""
    return XML_BAD.sub("\ufffd", text or "")


def render_junit(m, kernels):
    """One <testsuite> per kernel, one <testcase> per test point. A skip, an
    xfail and a known failure are <skipped> (never passed); a failed point is
    <failure>; a case program that timed out, crashed or broke its TAP gets
    an extra testcase 'case-program' with <error>."""
    root = ET.Element("testsuites", name="aioconf")
    grand = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for k in m["kernels"]:
        name = k["name"]
        suite = ET.SubElement(root, "testsuite", name=name)
        props = ET.SubElement(suite, "properties")
        for key, value in (("kernel.release", k["release"]), ("kernel.version", k["version"]),
                           ("complete", str(k["complete"]).lower())):
            ET.SubElement(props, "property", name=key, value=xml_text(value))
        n = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}

        def case(classname, test, kind=None, message="", text="", typ=None):
            tc = ET.SubElement(suite, "testcase", classname=xml_text(classname),
                               name=xml_text(test))
            n["tests"] += 1
            if kind:
                el = ET.SubElement(tc, kind, message=xml_text(message))
                if typ:
                    el.set("type", typ)
                if text:
                    el.text = xml_text(text)
                n[{"skipped": "skipped", "failure": "failures", "error": "errors"}[kind]] += 1
            return tc

        if not k["present"]:
            case(name, "results", "error", f"no results for kernel {name}: {k['problem']}",
                 typ="absent")
        else:
            summary = kernels[name]["summary"]
            suite.set("time", f"{summary.get('duration_s') or 0:.3f}")
            for c in summary["cases"]:
                cid, status = c["id"], norm(c.get("status"))
                diag = c.get("diagnostics") or ""
                for p in c.get("points", []):
                    r = norm(p.get("result"))
                    if r == "pass":
                        case(cid, p["name"])
                    elif r == "fail":
                        case(cid, p["name"], "failure", fail_reason(p), p.get("log") or "", "fail")
                    elif r == "known-failing":
                        case(cid, p["name"], "skipped",
                             f"known-failing: {point_reason(p) or 'on the known-failures list'}",
                             p.get("log") or "", "known-failing")
                    elif r == "xfail":
                        case(cid, p["name"], "skipped", f"xfail: {point_reason(p)}", typ="xfail")
                    else:
                        case(cid, p["name"], "skipped", point_reason(p) or "skipped", typ="skip")
                if status in ("timeout", "crash", "error") or (
                        status == "fail" and not c.get("counts", {}).get("fail")):
                    case(cid, "case-program", "error", f"{status}: {first_line(diag) or status}",
                         diag, status)
                elif status == "notrun":
                    case(cid, "case-program", "skipped", "not run: the run was interrupted",
                         typ="notrun")
                elif not c.get("points"):
                    case(cid, "case-program", "skipped" if status == "skip" else None,
                         first_line(diag) or "skipped", typ="skip")
        for key, v in n.items():
            suite.set(key, str(v))
            grand[key] += v
    for key, v in grand.items():
        root.set(key, str(v))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
