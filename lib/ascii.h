/*
 * ascii: byte classes for scanners of folded text (letters lowercased,
 * accents removed: see parsers/frdate.h) and of protocol tokens, whatever
 * the locale.  Static inline: they are called per byte.
 */
#ifndef OFII_LIB_ASCII_H
#define OFII_LIB_ASCII_H

static inline int
ascii_is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* A letter, or a byte of a non-ASCII character (folded text keeps those
   only for letters without an ASCII form): what a word is made of. */
static inline int
ascii_is_word(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (unsigned char)c >= 0x80;
}

static inline int
ascii_is_wordnum(int c)
{
	return ascii_is_word(c) || ascii_is_digit(c);
}

/* Value of a hexadecimal digit (either case), or -1. */
static inline int
ascii_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

#endif
