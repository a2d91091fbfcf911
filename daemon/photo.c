/*
 * Photos: their type by their bytes, and their metadata left out by a
 * walk of their container.  See photo.h.
 *
 * Nothing is decoded or re-encoded: the kept segments and chunks are
 * copied byte for byte, so the picture is the one the camera took, and
 * the walk is a few comparisons per chunk.  What is kept is listed (a
 * JPEG's APPn segments but the three that a viewer needs are dropped,
 * whatever their name says), so that a tag nobody thought of does not
 * slip through.  The walk checks the structure it needs (the lengths
 * inside the data, the chunks that must come first and last) and
 * refuses the rest: a body that ends early is truncated, one whose
 * lengths do not add up is malformed.
 */
#include <string.h>
#include <strings.h>

#include "photo.h"

static const char *const type_names[PHOTO__MAX] = {
	"image/jpeg", "image/png", "image/webp"
};

static const char *const stage_names[PHOTO_STAGE__MAX] = {
	"before", "after"
};

static const uint8_t png_signature[8] = {
	0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'
};

const char *
photo_type_name(enum photo_type t)
{
	return (unsigned)t < PHOTO__MAX ? type_names[t] : NULL;
}

int
photo_type_parse(const char *s)
{
	size_t	n;
	int	i;

	if (s == NULL)
		return -1;
	s += strspn(s, " \t");
	n = strcspn(s, "; \t");
	for (i = 0; i < PHOTO__MAX; i++)
		if (strlen(type_names[i]) == n &&
		    strncasecmp(s, type_names[i], n) == 0)
			return i;
	return -1;
}

const char *
photo_stage_name(enum photo_stage s)
{
	return (unsigned)s < PHOTO_STAGE__MAX ? stage_names[s] : NULL;
}

int
photo_stage_parse(const char *s)
{
	int	i;

	for (i = 0; s != NULL && i < PHOTO_STAGE__MAX; i++)
		if (strcmp(s, stage_names[i]) == 0)
			return i;
	return -1;
}

const char *
photo_error_text(int error)
{
	switch (error) {
	case PHOTO_NOT_IMAGE:
		return "not a JPEG, PNG or WebP image";
	case PHOTO_TRUNCATED:
		return "the image is truncated";
	default:
		return "the image's structure is broken";
	}
}

int
photo_sniff(const uint8_t *in, size_t len)
{
	size_t	n;

	if (len >= 2 && in[0] == 0xff && in[1] == 0xd8)
		return PHOTO_JPEG;
	n = len < sizeof(png_signature) ? len : sizeof(png_signature);
	if (n >= 4 && memcmp(in, png_signature, n) == 0)
		return PHOTO_PNG;
	if (len >= 4 && memcmp(in, "RIFF", 4) == 0 &&
	    (len < 12 || memcmp(in + 8, "WEBP", 4) == 0))
		return PHOTO_WEBP;
	return PHOTO_NOT_IMAGE;
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[1] << 8 | p[0];
}

/*
 * Whether a JPEG segment of marker m, with n bytes of data, is kept:
 * every one but the application segments and comments, of which APP0
 * JFIF, APP2 ICC_PROFILE (the colours) and APP14 Adobe (how to read
 * the colour channels) stay.
 */
static int
jpeg_keep(uint8_t m, const uint8_t *data, size_t n)
{
	if (m == 0xfe)
		return 0;
	if (m < 0xe0 || m > 0xef)
		return 1;
	if (m == 0xe0)
		return n >= 5 && memcmp(data, "JFIF", 5) == 0;
	if (m == 0xe2)
		return n >= 12 && memcmp(data, "ICC_PROFILE", 12) == 0;
	if (m == 0xee)
		return n >= 5 && memcmp(data, "Adobe", 5) == 0;
	return 0;
}

/* A start of frame: SOF0-SOF15 but DHT, JPG and DAC. */
static int
jpeg_sof(uint8_t m)
{
	return m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc;
}

/*
 * After a start of scan at i: the entropy-coded data, which ends at
 * the first marker that is not a restart (0xff 0x00 is a 0xff of the
 * data).  Returns where that marker's 0xff is, or len if none comes.
 */
static size_t
jpeg_scan_end(const uint8_t *in, size_t len, size_t i)
{
	for (; i + 1 < len; i++) {
		if (in[i] != 0xff)
			continue;
		if (in[i + 1] != 0x00 && in[i + 1] != 0xff &&
		    (in[i + 1] < 0xd0 || in[i + 1] > 0xd7))
			return i;
	}
	return len;
}

/* A JPEG: its segments up to EOI, the kept ones copied. */
static int
strip_jpeg(const uint8_t *in, size_t len, uint8_t *out, size_t *outlen)
{
	size_t	i = 2, o = 2, n, end;
	int	frame = 0, scan = 0;
	uint8_t	m;

	memcpy(out, in, 2);
	for (;;) {
		if (i >= len)
			return PHOTO_TRUNCATED;
		if (in[i] != 0xff)
			return PHOTO_MALFORMED;
		while (i < len && in[i] == 0xff)	/* fill bytes */
			i++;
		if (i >= len)
			return PHOTO_TRUNCATED;
		m = in[i++];
		if (m == 0x00 || m == 0xd8)
			return PHOTO_MALFORMED;
		if (m == 0xd9) {
			if (!frame || !scan)
				return PHOTO_MALFORMED;
			out[o++] = 0xff;
			out[o++] = m;
			*outlen = o;
			return PHOTO_JPEG;
		}
		if ((m >= 0xd0 && m <= 0xd7) || m == 0x01) {
			out[o++] = 0xff;
			out[o++] = m;
			continue;
		}
		if (len - i < 2)
			return PHOTO_TRUNCATED;
		n = (size_t)in[i] << 8 | in[i + 1];
		if (n < 2)
			return PHOTO_MALFORMED;
		if (n > len - i)
			return PHOTO_TRUNCATED;
		if (jpeg_sof(m))
			frame = 1;
		if (jpeg_keep(m, in + i + 2, n - 2)) {
			out[o++] = 0xff;
			out[o++] = m;
			memcpy(out + o, in + i, n);
			o += n;
		}
		i += n;
		if (m != 0xda)
			continue;
		if (!frame)
			return PHOTO_MALFORMED;
		scan = 1;
		if ((end = jpeg_scan_end(in, len, i)) == len)
			return PHOTO_TRUNCATED;
		memcpy(out + o, in + i, end - i);
		o += end - i;
		i = end;
	}
}

/* The PNG chunks that are metadata: EXIF, text (XMP is iTXt), time. */
static int
png_drop(const uint8_t *type)
{
	static const char *const drop[] = {
		"eXIf", "tEXt", "zTXt", "iTXt", "tIME", NULL
	};
	int	i;

	for (i = 0; drop[i] != NULL; i++)
		if (memcmp(type, drop[i], 4) == 0)
			return 1;
	return 0;
}

/* A PNG: its chunks from IHDR to IEND, the kept ones copied. */
static int
strip_png(const uint8_t *in, size_t len, uint8_t *out, size_t *outlen)
{
	const uint8_t	*type;
	size_t		 i = sizeof(png_signature), o = i, n;
	int		 k, data = 0;

	if (len < i)
		return PHOTO_TRUNCATED;
	memcpy(out, in, i);
	for (;;) {
		if (len - i < 12)
			return PHOTO_TRUNCATED;
		n = be32(in + i);
		type = in + i + 4;
		if (n > 0x7fffffff)
			return PHOTO_MALFORMED;
		for (k = 0; k < 4; k++)
			if (!((type[k] >= 'A' && type[k] <= 'Z') ||
			    (type[k] >= 'a' && type[k] <= 'z')))
				return PHOTO_MALFORMED;
		if (n > len - i - 12)
			return PHOTO_TRUNCATED;
		if ((i == sizeof(png_signature)) !=
		    (memcmp(type, "IHDR", 4) == 0))
			return PHOTO_MALFORMED;
		if (memcmp(type, "IHDR", 4) == 0 && n != 13)
			return PHOTO_MALFORMED;
		if (memcmp(type, "IDAT", 4) == 0)
			data = 1;
		if (!png_drop(type)) {
			memcpy(out + o, in + i, n + 12);
			o += n + 12;
		}
		i += n + 12;
		if (memcmp(type, "IEND", 4) == 0) {
			if (!data)
				return PHOTO_MALFORMED;
			*outlen = o;
			return PHOTO_PNG;
		}
	}
}

/* VP8X's flags of EXIF and XMP metadata (its first byte). */
#define WEBP_FLAG_EXIF	0x08
#define WEBP_FLAG_XMP	0x04

/* A WebP: the chunks of its RIFF, the kept ones copied, sizes set. */
static int
strip_webp(const uint8_t *in, size_t len, uint8_t *out, size_t *outlen)
{
	const uint8_t	*fourcc;
	size_t		 i = 12, o = 12, end, n, vp8x = 0;
	int		 image = 0;
	uint32_t	 riff;

	if (len < 12)
		return PHOTO_TRUNCATED;
	riff = le32(in + 4);
	if (riff < 4 || (riff & 1))
		return PHOTO_MALFORMED;
	if (riff > len - 8)
		return PHOTO_TRUNCATED;
	end = (size_t)riff + 8;
	memcpy(out, in, 12);
	while (i < end) {
		if (end - i < 8)
			return PHOTO_MALFORMED;
		fourcc = in + i;
		n = le32(in + i + 4);
		n += n & 1;
		if (n > end - i - 8)
			return PHOTO_MALFORMED;
		if (i == 12 && memcmp(fourcc, "VP8 ", 4) != 0 &&
		    memcmp(fourcc, "VP8L", 4) != 0 &&
		    memcmp(fourcc, "VP8X", 4) != 0)
			return PHOTO_MALFORMED;
		if (memcmp(fourcc, "VP8X", 4) == 0) {
			if (i != 12 || n < 10)
				return PHOTO_MALFORMED;
			vp8x = o;
		}
		if (memcmp(fourcc, "VP8 ", 4) == 0 ||
		    memcmp(fourcc, "VP8L", 4) == 0 ||
		    memcmp(fourcc, "ANMF", 4) == 0)
			image = 1;
		if (memcmp(fourcc, "EXIF", 4) != 0 &&
		    memcmp(fourcc, "XMP ", 4) != 0) {
			memcpy(out + o, in + i, n + 8);
			o += n + 8;
		}
		i += n + 8;
	}
	if (!image)
		return PHOTO_MALFORMED;
	if (vp8x != 0)
		out[vp8x + 8] &= ~(WEBP_FLAG_EXIF | WEBP_FLAG_XMP);
	riff = (uint32_t)(o - 8);
	out[4] = riff & 0xff;
	out[5] = (riff >> 8) & 0xff;
	out[6] = (riff >> 16) & 0xff;
	out[7] = (riff >> 24) & 0xff;
	*outlen = o;
	return PHOTO_WEBP;
}

int
photo_strip(const uint8_t *in, size_t len, uint8_t *out, size_t *outlen)
{
	switch (photo_sniff(in, len)) {
	case PHOTO_JPEG:
		return strip_jpeg(in, len, out, outlen);
	case PHOTO_PNG:
		return strip_png(in, len, out, outlen);
	case PHOTO_WEBP:
		return strip_webp(in, len, out, outlen);
	default:
		return PHOTO_NOT_IMAGE;
	}
}
