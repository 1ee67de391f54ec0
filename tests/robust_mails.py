#!/usr/bin/python3
"""Hostile and oversized mails for tests/integration/t_robust.sh and the
benchmark, made at test time (never committed: the big ones weigh 28 MB).

    tests/robust_mails.py pdfbombs OUT.eml
    tests/robust_mails.py oversized OUT.eml --in text|attachment [--mb N]

Every mail is a verified OFII mail (an Authentication-Results header with
dkim=pass for ofii.fr), sent on 10 March 2022.

pdfbombs: the convocation (medical visit, Tuesday 15 March 2022 at 10:30,
Lyon) in the text part, then five hostile PDFs from tests/fixtures/pdf/
(textbomb.pdf, bomb.pdf, spin.pdf, textbomb.pdf, spin.pdf): each would
cost seconds to minutes of CPU, or gigabytes, if nothing stopped it.

oversized: a mail of N MB (28), most of it one attachment (a PDF named
annexes.pdf, in base64) that max_message_size (25 MiB) cuts through.
--in text: the convocation (as above) is in the text part, before the
attachment.  --in attachment: the text part only says "see the attached
letter", and the letter (tests/fixtures/pdf/convocation.pdf, 8 March 2022
at 9:30) is padded into the big attachment: nothing readable is left.
"""
import argparse
import base64
from pathlib import Path

HERE = Path(__file__).resolve().parent
PDFS = HERE / "fixtures" / "pdf"

HEADER = (
    "Return-Path: <no-reply@ofii.fr>\r\n"
    "Authentication-Results: mx.example.net; dkim=pass header.d=ofii.fr; "
    "spf=pass smtp.mailfrom=ofii.fr; dmarc=pass header.from=ofii.fr\r\n"
    "From: OFII - Direction territoriale de Lyon <no-reply@ofii.fr>\r\n"
    "To: amina.benali@example.net\r\n"
    "Subject: Convocation - visite medicale\r\n"
    "Date: Thu, 10 Mar 2022 09:00:00 +0100\r\n"
    "Message-ID: <{mid}@ofii.fr>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
    "\r\n")

CONVOCATION = (
    "Madame, Monsieur,\r\n\r\n"
    "Vous êtes convoqué(e) à la visite médicale de l'OFII le mardi "
    "15 mars 2022 à 10h30, à l'adresse suivante : OFII - Direction "
    "territoriale de Lyon, 7 rue Quivogne, 69002 Lyon.\r\n\r\n"
    "Munissez-vous de votre passeport et de la présente convocation.\r\n\r\n"
    "L'OFII\r\n")

SEE_ATTACHMENT = (
    "Madame, Monsieur,\r\n\r\n"
    "Veuillez trouver ci-joint votre convocation. Merci de vous présenter "
    "muni de ce document.\r\n\r\n"
    "L'OFII\r\n")


def text_part(text):
    return ("--b1\r\nContent-Type: text/plain; charset=utf-8\r\n"
            "Content-Transfer-Encoding: 8bit\r\n\r\n" + text).encode()


def pdf_part(name, data):
    b64 = base64.encodebytes(data).replace(b"\n", b"\r\n")
    return (("--b1\r\nContent-Type: application/pdf; name=\"%s\"\r\n"
             "Content-Disposition: attachment; filename=\"%s\"\r\n"
             "Content-Transfer-Encoding: base64\r\n\r\n" % (name, name))
            .encode() + b64)


def pdfbombs(out):
    parts = [text_part(CONVOCATION)]
    for i, name in enumerate(["textbomb.pdf", "bomb.pdf", "spin.pdf",
                              "textbomb.pdf", "spin.pdf"]):
        parts.append(pdf_part("piece%d.pdf" % (i + 1),
                              (PDFS / name).read_bytes()))
    mail = HEADER.format(mid="pdfbombs").encode() + b"\r\n".join(parts)
    out.write_bytes(mail + b"\r\n--b1--\r\n")


def oversized(out, where, mb):
    text = CONVOCATION if where == "text" else SEE_ATTACHMENT
    head = HEADER.format(mid="oversized-" + where).encode() + text_part(text)
    # The attachment: a PDF (the letter itself, or a stand-in) and a
    # comment after it that pads it to the size asked for.
    pdf = (PDFS / "convocation.pdf").read_bytes()
    raw_len = (mb * 1000 * 1000 - len(head) - 400) * 3 // 4
    pad = b"%" + b"0" * 254 + b"\n"
    pdf += pad * ((raw_len - len(pdf)) // len(pad))
    with out.open("wb") as f:
        f.write(head)
        f.write(b"\r\n")
        f.write(pdf_part("annexes.pdf", pdf))
        f.write(b"\r\n--b1--\r\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("what", choices=["pdfbombs", "oversized"])
    ap.add_argument("out", type=Path)
    ap.add_argument("--in", dest="where", choices=["text", "attachment"],
                    default="text")
    ap.add_argument("--mb", type=int, default=28)
    a = ap.parse_args()
    if a.what == "pdfbombs":
        pdfbombs(a.out)
    else:
        oversized(a.out, a.where, a.mb)


if __name__ == "__main__":
    main()
