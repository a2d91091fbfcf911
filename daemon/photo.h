/*
 * Photos as evidence: a JPEG, PNG or WebP recognised by its bytes and
 * walked chunk by chunk (a container walker, not a decoder), with its
 * metadata (EXIF, XMP, IPTC, comments, text) left out and nothing
 * re-encoded.  Pure: no I/O.
 */
#ifndef HAZARDD_PHOTO_H
#define HAZARDD_PHOTO_H

#include <stddef.h>
#include <stdint.h>

enum photo_type {
	PHOTO_JPEG,
	PHOTO_PNG,
	PHOTO_WEBP,
	PHOTO__MAX
};

/* Why a body is not taken as a photo. */
enum photo_error {
	PHOTO_NOT_IMAGE = -1,	/* no JPEG, PNG nor WebP signature: 415 */
	PHOTO_TRUNCATED = -2,	/* it ends before its structure does: 422 */
	PHOTO_MALFORMED = -3	/* its structure is broken: 422 */
};

/* When a photo is taken: before the rectification, or after it. */
enum photo_stage {
	PHOTO_BEFORE,
	PHOTO_AFTER,
	PHOTO_STAGE__MAX
};

/* The media type of t ("image/jpeg"), or NULL. */
const char	*photo_type_name(enum photo_type t);

/*
 * The type of a media type (parameters after ';' and case ignored), or
 * -1 if it is none of the three.
 */
int		 photo_type_parse(const char *s);

/* "before" or "after", or NULL; and back, -1 if neither. */
const char	*photo_stage_name(enum photo_stage s);
int		 photo_stage_parse(const char *s);

/* The type its signature says in's bytes are, or PHOTO_NOT_IMAGE. */
int		 photo_sniff(const uint8_t *in, size_t len);

/*
 * Walks in's container and writes into out (len bytes at least) what
 * is kept: every chunk but metadata (JPEG: APP1 Exif and XMP, APP13
 * IPTC, COM, every APPn but APP0 JFIF, APP2 ICC and APP14 Adobe, and
 * what follows the end of the image; PNG: eXIf, tEXt, zTXt, iTXt, tIME
 * and what follows IEND; WebP: EXIF and XMP with VP8X's flags and the
 * RIFF size set to match, and what follows the RIFF).  Returns the
 * type, the length kept in *outlen; or a photo_error.
 */
int		 photo_strip(const uint8_t *in, size_t len, uint8_t *out,
		    size_t *outlen);

/* A short English phrase for an error, for a refusal's message. */
const char	*photo_error_text(int error);

#endif
