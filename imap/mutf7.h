/*
 * mutf7: IMAP mailbox names in modified UTF-7 (RFC 3501 section 5.1.3).
 *
 * Servers without UTF8=ACCEPT (Dovecot 2.3 among them) name folders in
 * modified UTF-7 on the wire ("Courrier ind&AOk-sirable"); people and the
 * config use UTF-8 ("Courrier indésirable").  libcurl converts nothing, so
 * imap.c encodes every name it sends and decodes every name it lists.
 * Pure functions: no I/O, no global state.
 */
#ifndef OFII_MUTF7_H
#define OFII_MUTF7_H

/*
 * UTF-8 -> modified UTF-7.  Printable ASCII stays as is ("&" becomes
 * "&-"), everything else is base64 of UTF-16BE with ',' for '/'.
 * Invalid UTF-8 (overlong forms, surrogates, > U+10FFFF, truncated
 * sequences) is rejected.  0 and a malloc'd *outp, or -1 and *errstr.
 */
int	mutf7_encode(const char *utf8, char **outp, char **errstr);

/*
 * Modified UTF-7 -> UTF-8.  Rejects what RFC 3501 forbids: bytes outside
 * printable ASCII, a "&" run that is not closed by "-", characters
 * outside the modified base64 alphabet, leftover bits that are not zero,
 * a dangling UTF-16 byte, unpaired surrogates, and printable ASCII or NUL
 * encoded in base64.  0 and a malloc'd *outp, or -1 and *errstr.
 */
int	mutf7_decode(const char *mutf7, char **outp, char **errstr);

#endif
