#!/bin/sh
# Makes the photos of tests/e2e/photos.sh, committed beside this script
# so that the test needs neither tool: small pictures from ImageMagick
# (convert) with metadata written by exiftool (libimage-exiftool-perl)
# and webpmux (webp),
# a school's GPS position among it.  Run it again only to change them:
#   tests/e2e/photos/make.sh
set -eu
rm -f gps.jpg meta.png meta.webp
cd "$(dirname "$0")"
gps='-GPSLatitude=31.2304 -GPSLatitudeRef=N -GPSLongitude=121.4737
    -GPSLongitudeRef=E -Make=SecretCam -Model=Phone-X
    -XMP-dc:Creator=Teacher-Wang -Artist=Teacher-Wang'
convert -size 64x48 gradient:red-blue -quality 80 tmp.jpg
# shellcheck disable=SC2086
exiftool -q -overwrite_original $gps -Comment=classroom-3B \
    -IPTC:Keywords=school-S001 -o gps.jpg tmp.jpg
convert -size 32x24 gradient:green-white tmp.png
# shellcheck disable=SC2086
exiftool -q -overwrite_original $gps -PNG:Comment=classroom-3B \
    -o meta.png tmp.png
convert -size 32x24 gradient:yellow-black -define webp:lossless=false \
    tmp.webp
# exiftool writes no WebP here: webpmux (webp) sets the JPEG's EXIF and
# XMP as the WebP's chunks (a VP8X with their flags).
exiftool -q -b -EXIF gps.jpg > tmp.exif
exiftool -q -b -XMP gps.jpg > tmp.xmp
webpmux -set exif tmp.exif tmp.webp -o tmp2.webp
webpmux -set xmp tmp.xmp tmp2.webp -o meta.webp
rm -f tmp.jpg tmp.png tmp.webp tmp2.webp tmp.exif tmp.xmp
