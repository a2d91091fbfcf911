/*
 * Unit tests of daemon/photo.c: a photo's type by its bytes, and its
 * metadata left out by the walk of its container, on images built here
 * segment by segment and chunk by chunk.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "photo.h"

/* An image being built. */
struct img {
	uint8_t	b[4096];
	size_t	n;
};

static void
put(struct img *m, const void *p, size_t n)
{
	ck_assert_uint_le(m->n + n, sizeof(m->b));
	memcpy(m->b + m->n, p, n);
	m->n += n;
}

static void
put_str(struct img *m, const char *s)
{
	put(m, s, strlen(s));
}

static void
put_be32(struct img *m, uint32_t v)
{
	uint8_t	b[4] = { v >> 24, v >> 16, v >> 8, v };

	put(m, b, 4);
}

static void
put_le32(struct img *m, uint32_t v)
{
	uint8_t	b[4] = { v, v >> 8, v >> 16, v >> 24 };

	put(m, b, 4);
}

/* A JPEG segment: marker m and its data (n bytes). */
static void
jpeg_seg(struct img *m, uint8_t marker, const void *data, size_t n)
{
	uint8_t	h[4] = { 0xff, marker, (n + 2) >> 8, (n + 2) & 0xff };

	put(m, h, 4);
	put(m, data, n);
}

/* A PNG chunk: type and data (n bytes), with a CRC of zeroes. */
static void
png_chunk(struct img *m, const char *type, const void *data, size_t n)
{
	put_be32(m, (uint32_t)n);
	put(m, type, 4);
	put(m, data, n);
	put_be32(m, 0);
}

/* A RIFF chunk: fourcc and data (n bytes), padded to even. */
static void
riff_chunk(struct img *m, const char *fourcc, const void *data, size_t n)
{
	put(m, fourcc, 4);
	put_le32(m, (uint32_t)n);
	put(m, data, n);
	if (n & 1)
		put(m, "", 1);
}

static int
contains(const uint8_t *b, size_t n, const char *s)
{
	size_t	i, k = strlen(s);

	for (i = 0; i + k <= n; i++)
		if (memcmp(b + i, s, k) == 0)
			return 1;
	return 0;
}

static const uint8_t scan[] = {
	0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56, 0xff, 0xff, 0x00, 0x78
};

/*
 * A JPEG with every kind of segment: what is kept (want) and what the
 * camera put in (got).
 */
static void
jpeg_build(struct img *got, struct img *want)
{
	static const uint8_t soi[] = { 0xff, 0xd8 }, eoi[] = { 0xff, 0xd9 };
	static const uint8_t sof[] = { 8, 0, 16, 0, 16, 1, 1, 0x11, 0 };
	static const uint8_t sos[] = { 1, 1, 0, 0, 63, 0 };

	memset(got, 0, sizeof(*got));
	memset(want, 0, sizeof(*want));
	put(got, soi, 2);
	put(want, soi, 2);
	jpeg_seg(got, 0xe0, "JFIF\0\1\1\0\0\1\0\1\0\0", 14);
	jpeg_seg(want, 0xe0, "JFIF\0\1\1\0\0\1\0\1\0\0", 14);
	jpeg_seg(got, 0xe1, "Exif\0\0MM GPSLatitude 31.23", 26);
	jpeg_seg(got, 0xe1, "http://ns.adobe.com/xap/1.0/\0Creator", 36);
	jpeg_seg(got, 0xe2, "ICC_PROFILE\0\1\1colours", 21);
	jpeg_seg(want, 0xe2, "ICC_PROFILE\0\1\1colours", 21);
	jpeg_seg(got, 0xe2, "MPF\0offsets", 11);
	jpeg_seg(got, 0xed, "Photoshop 3.0\0IPTC keywords", 27);
	jpeg_seg(got, 0xee, "Adobe\0\144\0\0\0\0\1", 12);
	jpeg_seg(want, 0xee, "Adobe\0\144\0\0\0\0\1", 12);
	jpeg_seg(got, 0xeb, "HDR gain map", 12);
	jpeg_seg(got, 0xfe, "taken in classroom 3B", 21);
	jpeg_seg(got, 0xdb, "\0table", 6);
	jpeg_seg(want, 0xdb, "\0table", 6);
	jpeg_seg(got, 0xc0, sof, sizeof(sof));
	jpeg_seg(want, 0xc0, sof, sizeof(sof));
	jpeg_seg(got, 0xc4, "\0huffman", 8);
	jpeg_seg(want, 0xc4, "\0huffman", 8);
	jpeg_seg(got, 0xda, sos, sizeof(sos));
	jpeg_seg(want, 0xda, sos, sizeof(sos));
	put(got, scan, sizeof(scan));
	put(want, scan, sizeof(scan));
	put(got, eoi, 2);
	put(want, eoi, 2);
	/* What follows the end: a second image with its own EXIF. */
	put(got, soi, 2);
	jpeg_seg(got, 0xe1, "Exif\0\0GPS again", 15);
}

START_TEST(test_jpeg_strip)
{
	struct img	got, want;
	uint8_t		out[4096];
	size_t		len = 0;

	jpeg_build(&got, &want);
	ck_assert_int_eq(photo_sniff(got.b, got.n), PHOTO_JPEG);
	ck_assert_int_eq(photo_strip(got.b, got.n, out, &len), PHOTO_JPEG);
	ck_assert_uint_eq(len, want.n);
	ck_assert_mem_eq(out, want.b, want.n);
	ck_assert(!contains(out, len, "GPS"));
	ck_assert(!contains(out, len, "Creator"));
	ck_assert(!contains(out, len, "classroom"));
	ck_assert(!contains(out, len, "IPTC"));
	ck_assert(!contains(out, len, "MPF"));
}
END_TEST

/* Every part of a JPEG that ends early is truncated or broken. */
START_TEST(test_jpeg_prefixes)
{
	struct img	got, want;
	uint8_t		out[4096];
	size_t		n, len;

	jpeg_build(&got, &want);
	/* The JPEG itself ends 21 bytes before got does, at its EOI. */
	for (n = 0; n < got.n - 21; n++) {
		len = 0;
		ck_assert_int_lt(photo_strip(got.b, n, out, &len), 0);
	}
	ck_assert_int_eq(photo_strip(got.b, 2, out, &len), PHOTO_TRUNCATED);
}
END_TEST

START_TEST(test_jpeg_malformed)
{
	static const uint8_t sos[] = { 1, 1, 0, 0, 63, 0 };
	struct img	m;
	uint8_t		out[4096];
	size_t		len;

	/* A segment whose length is less than its own two bytes. */
	memset(&m, 0, sizeof(m));
	put(&m, "\xff\xd8\xff\xdb\x00\x01", 6);
	ck_assert_int_eq(photo_strip(m.b, m.n, out, &len), PHOTO_MALFORMED);
	/* A scan before any frame. */
	memset(&m, 0, sizeof(m));
	put(&m, "\xff\xd8", 2);
	jpeg_seg(&m, 0xda, sos, sizeof(sos));
	put(&m, "\x01\xff\xd9", 3);
	ck_assert_int_eq(photo_strip(m.b, m.n, out, &len), PHOTO_MALFORMED);
	/* Bytes where a marker must be. */
	memset(&m, 0, sizeof(m));
	put(&m, "\xff\xd8JFIF", 6);
	ck_assert_int_eq(photo_strip(m.b, m.n, out, &len), PHOTO_MALFORMED);
	/* An end with no image before it. */
	memset(&m, 0, sizeof(m));
	put(&m, "\xff\xd8\xff\xd9", 4);
	ck_assert_int_eq(photo_strip(m.b, m.n, out, &len), PHOTO_MALFORMED);
}
END_TEST

/* A PNG with its text chunks: what is kept and what came. */
static void
png_build(struct img *got, struct img *want)
{
	static const uint8_t sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n',
	    0x1a, '\n' };

	memset(got, 0, sizeof(*got));
	memset(want, 0, sizeof(*want));
	put(got, sig, 8);
	put(want, sig, 8);
	png_chunk(got, "IHDR", "\0\0\0\1\0\0\0\1\10\2\0\0\0", 13);
	png_chunk(want, "IHDR", "\0\0\0\1\0\0\0\1\10\2\0\0\0", 13);
	png_chunk(got, "gAMA", "\0\0\261\217", 4);
	png_chunk(want, "gAMA", "\0\0\261\217", 4);
	png_chunk(got, "eXIf", "MM\0*GPS", 7);
	png_chunk(got, "tEXt", "Comment\0classroom", 17);
	png_chunk(got, "zTXt", "Author\0\0x", 9);
	png_chunk(got, "iTXt", "XML:com.adobe.xmp\0\0\0\0\0Creator", 29);
	png_chunk(got, "tIME", "\7\352\14\5\10\0\0", 7);
	png_chunk(got, "IDAT", "pixels", 6);
	png_chunk(want, "IDAT", "pixels", 6);
	png_chunk(got, "IEND", "", 0);
	png_chunk(want, "IEND", "", 0);
	put_str(got, "after the end: GPS");
}

START_TEST(test_png_strip)
{
	struct img	got, want;
	uint8_t		out[4096];
	size_t		len = 0, n;

	png_build(&got, &want);
	ck_assert_int_eq(photo_sniff(got.b, got.n), PHOTO_PNG);
	ck_assert_int_eq(photo_strip(got.b, got.n, out, &len), PHOTO_PNG);
	ck_assert_uint_eq(len, want.n);
	ck_assert_mem_eq(out, want.b, want.n);
	ck_assert(!contains(out, len, "GPS"));
	/* Every part that ends before IEND does. */
	for (n = 0; n < got.n - 18; n++)
		ck_assert_int_lt(photo_strip(got.b, n, out, &len), 0);
	ck_assert_int_eq(photo_strip(got.b, 100, out, &len), PHOTO_TRUNCATED);
}
END_TEST

START_TEST(test_png_malformed)
{
	struct img	got, want, m;
	uint8_t		out[4096];
	size_t		len;

	png_build(&got, &want);
	/* A chunk before IHDR. */
	memset(&m, 0, sizeof(m));
	put(&m, got.b, 8);
	png_chunk(&m, "gAMA", "\0\0\261\217", 4);
	put(&m, got.b + 8, got.n - 8);
	ck_assert_int_eq(photo_strip(m.b, m.n, out, &len), PHOTO_MALFORMED);
	/* A chunk's type that is not four letters. */
	memcpy(m.b, got.b, got.n);
	m.n = got.n;
	memcpy(m.b + 8 + 12 + 13 + 4, "g\0MA", 4);
	ck_assert_int_eq(photo_strip(m.b, m.n, out, &len), PHOTO_MALFORMED);
	/* No image data. */
	memset(&m, 0, sizeof(m));
	put(&m, got.b, 8 + 25);
	png_chunk(&m, "IEND", "", 0);
	ck_assert_int_eq(photo_strip(m.b, m.n, out, &len), PHOTO_MALFORMED);
}
END_TEST

/* An extended WebP with EXIF and XMP: what is kept and what came. */
static void
webp_build(struct img *got, struct img *want, uint8_t flags)
{
	struct img	body;
	uint8_t		vp8x[10] = { flags, 0, 0, 0, 31, 0, 0, 23, 0, 0 };

	memset(got, 0, sizeof(*got));
	memset(want, 0, sizeof(*want));
	memset(&body, 0, sizeof(body));
	riff_chunk(&body, "VP8X", vp8x, sizeof(vp8x));
	riff_chunk(&body, "ICCP", "colours", 7);
	riff_chunk(&body, "VP8 ", "frame", 5);
	riff_chunk(&body, "EXIF", "MM\0*GPS", 7);
	riff_chunk(&body, "XMP ", "<x:xmpmeta>Creator", 18);
	put_str(got, "RIFF");
	put_le32(got, (uint32_t)body.n + 4);
	put_str(got, "WEBP");
	put(got, body.b, body.n);
	put_str(got, "trailing GPS");

	memset(&body, 0, sizeof(body));
	vp8x[0] = flags & ~0x0c;
	riff_chunk(&body, "VP8X", vp8x, sizeof(vp8x));
	riff_chunk(&body, "ICCP", "colours", 7);
	riff_chunk(&body, "VP8 ", "frame", 5);
	put_str(want, "RIFF");
	put_le32(want, (uint32_t)body.n + 4);
	put_str(want, "WEBP");
	put(want, body.b, body.n);
}

START_TEST(test_webp_strip)
{
	struct img	got, want;
	uint8_t		out[4096];
	size_t		len = 0;

	webp_build(&got, &want, 0x2c);
	ck_assert_int_eq(photo_sniff(got.b, got.n), PHOTO_WEBP);
	ck_assert_int_eq(photo_strip(got.b, got.n, out, &len), PHOTO_WEBP);
	ck_assert_uint_eq(len, want.n);
	ck_assert_mem_eq(out, want.b, want.n);
	/* The flags: ICC kept, EXIF and XMP cleared. */
	ck_assert_uint_eq(out[20], 0x20);
	ck_assert(!contains(out, len, "GPS"));
	ck_assert(!contains(out, len, "Creator"));
}
END_TEST

START_TEST(test_webp_bad)
{
	struct img	got, want;
	uint8_t		out[4096];
	size_t		len, n;

	webp_build(&got, &want, 0x0c);
	/* Whatever ends inside its RIFF is truncated. */
	for (n = 0; n < got.n - 12; n++)
		ck_assert_int_lt(photo_strip(got.b, n, out, &len), 0);
	ck_assert_int_eq(photo_strip(got.b, 40, out, &len), PHOTO_TRUNCATED);
	/* A chunk longer than its RIFF. */
	got.b[16] = 0xff;
	ck_assert_int_eq(photo_strip(got.b, got.n, out, &len),
	    PHOTO_MALFORMED);
	/* No image chunk at all. */
	memset(&got, 0, sizeof(got));
	put_str(&got, "RIFF");
	put_le32(&got, 4 + 18);
	put_str(&got, "WEBP");
	riff_chunk(&got, "VP8X", "\0\0\0\0\0\0\0\0\0\0", 10);
	ck_assert_int_eq(photo_strip(got.b, got.n, out, &len),
	    PHOTO_MALFORMED);
}
END_TEST

START_TEST(test_not_images)
{
	static const struct {
		const char	*b;
		size_t		 n;
	} bodies[] = {
		{ "", 0 }, { "x", 1 }, { "GIF89a\1\0\1\0", 10 },
		{ "RIFF\4\0\0\0WAVE", 12 }, { "{\"a\":1}", 7 },
		{ "\x89PNX\r\n\x1a\n", 8 }, { "\xff\xd9", 2 }
	};
	uint8_t	out[64];
	size_t	i, len;

	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		ck_assert_int_eq(photo_sniff((const uint8_t *)bodies[i].b,
		    bodies[i].n), PHOTO_NOT_IMAGE);
		ck_assert_int_eq(photo_strip((const uint8_t *)bodies[i].b,
		    bodies[i].n, out, &len), PHOTO_NOT_IMAGE);
	}
}
END_TEST

START_TEST(test_names)
{
	ck_assert_int_eq(photo_type_parse("image/jpeg"), PHOTO_JPEG);
	ck_assert_int_eq(photo_type_parse(" Image/PNG; q=1"), PHOTO_PNG);
	ck_assert_int_eq(photo_type_parse("image/webp"), PHOTO_WEBP);
	ck_assert_int_eq(photo_type_parse("image/jpg"), -1);
	ck_assert_int_eq(photo_type_parse("image/jpegx"), -1);
	ck_assert_int_eq(photo_type_parse(NULL), -1);
	ck_assert_str_eq(photo_type_name(PHOTO_WEBP), "image/webp");
	ck_assert_ptr_null(photo_type_name(PHOTO__MAX));
	ck_assert_int_eq(photo_stage_parse("before"), PHOTO_BEFORE);
	ck_assert_int_eq(photo_stage_parse("after"), PHOTO_AFTER);
	ck_assert_int_eq(photo_stage_parse("After"), -1);
	ck_assert_int_eq(photo_stage_parse(NULL), -1);
	ck_assert_str_eq(photo_stage_name(PHOTO_AFTER), "after");
}
END_TEST

static Suite *
photo_suite(void)
{
	Suite	*s = suite_create("photo");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_jpeg_strip);
	tcase_add_test(tc, test_jpeg_prefixes);
	tcase_add_test(tc, test_jpeg_malformed);
	tcase_add_test(tc, test_png_strip);
	tcase_add_test(tc, test_png_malformed);
	tcase_add_test(tc, test_webp_strip);
	tcase_add_test(tc, test_webp_bad);
	tcase_add_test(tc, test_not_images);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(photo_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
