#!/bin/bash
# Photos as evidence (issue 16): a school adds photos to its hazard with
# the image's bytes as the body; the server knows a JPEG, PNG or WebP by
# its bytes, refuses what is not one, is truncated, too large, or claims
# another type (nothing stored), keeps at most max_photos_per_hazard,
# and serves each without its metadata (the GPS position of a school
# is not handed out) to the school and the office alone: another
# school gets the 404 of a hazard it cannot see.  Every photo is an
# event of the trail.  [policy] rectify_needs_photo wants an "after"
# photo before a rectification.
. "$(dirname "$0")/lib.sh"

P=$(cd "$(dirname "$0")/photos" && pwd)
start_daemon "[server]" "max_photo = 65536" "max_photos_per_hazard = 4" \
    "[policy]" "rectify_needs_photo = yes"
export HAZARD_TOKEN=$(office_token 区安全办)
ctl school add S001 第一中学 >/dev/null
ctl school add S002 第二中学 >/dev/null
S=$(ctl token create --school S001 --name 一中)
S2=$(ctl token create --school S002 --name 二中)
ID=$(ctl --token "$S" report --title 围墙裂缝 --category buildings)

# upload TOKEN ID STAGE FILE [CONTENT-TYPE]: POSTs the file, with the
# Idempotency-Key $KEY if set; the status in $CODE, the answer in $BODY.
upload() {
	BODY=$(curl -s -o - -w '\n%{http_code}' -X POST \
	    -H "Authorization: Bearer $1" \
	    ${KEY:+-H} ${KEY:+"Idempotency-Key: $KEY"} \
	    -H "Content-Type: ${5:-image/jpeg}" --data-binary "@$4" \
	    "$SERVER/v1/hazards/$2/photos?stage=$3")
	CODE=${BODY##*$'\n'}
	BODY=${BODY%$'\n'*}
}
# photos: the number of photos' rows in the database.
photos() {
	sqlite3 -cmd ".timeout 5000" "$T/hazardd.db" \
	    "SELECT COUNT(*) FROM photos"
}
# files: the number of photos' files beside the database.
files() {
	find "$T/hazardd.db.photos" -type f 2>/dev/null | wc -l
}

# --- a JPEG with the school's GPS position ----------------------------
expect_match "the fixture holds its camera and author" '^[1-9]' \
    "$(grep -ac 'SecretCam\|Teacher-Wang' "$P/gps.jpg")"
if command -v exiftool >/dev/null; then
	expect_match "and a GPS position, as exiftool reads it" \
	    'GPS Latitude *: 31 deg' "$(exiftool -GPSLatitude "$P/gps.jpg")"
fi
upload "$S" "$ID" before "$P/gps.jpg"
expect_eq "the school adds a JPEG: 201" 201 "$CODE"
expect_match "its answer" \
    "^\{\"id\":[0-9]+,\"hazard\":$ID,\"stage\":\"before\",\"type\":\"image/jpeg\",\"size\":[0-9]+,\"at\":\"[^\"]+\"\}\$" \
    "$BODY"
PH=$(printf '%s' "$BODY" | sed 's/^{"id":\([0-9]*\),.*/\1/')
curl -s -D "$T/h" -o "$T/got.jpg" -H "Authorization: Bearer $S" \
    "$SERVER/v1/photos/$PH"
expect_match "served: 200 image/jpeg" '^HTTP/1.1 200' "$(head -1 "$T/h")"
expect_match "Content-Type: image/jpeg" '^Content-Type: image/jpeg' \
    "$(tr -d '\r' <"$T/h")"
expect_match "cached privately for good" \
    '^Cache-Control: private, max-age=31536000, immutable$' \
    "$(tr -d '\r' <"$T/h")"
expect_match "never sniffed" '^X-Content-Type-Options: nosniff$' \
    "$(tr -d '\r' <"$T/h")"
expect_eq "no GPS in what is served" 0 "$(grep -ac 'GPS\|SecretCam\|Teacher-Wang\|classroom-3B\|school-S001' "$T/got.jpg")"
expect_eq "no Exif, XMP or IPTC segment" 0 \
    "$(grep -ac 'Exif\|http://ns.adobe.com/xap\|Photoshop 3.0' "$T/got.jpg")"
if command -v exiftool >/dev/null; then
	expect_eq "exiftool finds no GPS in what is served" "" \
	    "$(exiftool -q -GPS:all -Make -Creator "$T/got.jpg")"
fi
expect_eq "the picture's tables and scan are the same bytes" \
    "$(tail -c 300 "$P/gps.jpg" | od -An -tx1 | tr -d ' \n')" \
    "$(tail -c 300 "$T/got.jpg" | od -An -tx1 | tr -d ' \n')"
expect_eq "the size answered is the size served" \
    "$(printf '%s' "$BODY" | sed 's/.*"size":\([0-9]*\).*/\1/')" \
    "$(wc -c <"$T/got.jpg")"

# --- PNG and WebP ------------------------------------------------------
upload "$S" "$ID" before "$P/meta.png" image/png
expect_eq "a PNG: 201" 201 "$CODE"
PNG=$(printf '%s' "$BODY" | sed 's/^{"id":\([0-9]*\),.*/\1/')
curl -s -o "$T/got.png" -H "Authorization: Bearer $S" "$SERVER/v1/photos/$PNG"
expect_eq "no text, XMP nor EXIF chunk in the PNG served" 0 \
    "$(grep -ac 'tEXt\|iTXt\|zTXt\|eXIf\|Teacher-Wang' "$T/got.png")"
expect_match "still a PNG to the file tool" 'PNG image data, 32 x 24' \
    "$(file "$T/got.png")"
upload "$S" "$ID" after "$P/meta.webp" image/webp
expect_eq "a WebP: 201" 201 "$CODE"
WEBP=$(printf '%s' "$BODY" | sed 's/^{"id":\([0-9]*\),.*/\1/')
curl -s -o "$T/got.webp" -H "Authorization: Bearer $S" \
    "$SERVER/v1/photos/$WEBP"
expect_eq "no EXIF nor XMP chunk in the WebP served" 0 \
    "$(grep -ac 'EXIF\|XMP \|Teacher-Wang' "$T/got.webp")"
expect_eq "its RIFF size is its length less 8" "$(($(wc -c <"$T/got.webp") - 8))" \
    "$(od -An -tu4 -j4 -N4 "$T/got.webp" | tr -d ' ')"
if command -v webpmux >/dev/null; then
	expect_match "webpmux reads it, without metadata" \
	    '^No features present' "$(webpmux -info "$T/got.webp")"
fi

# --- what is not taken, nothing stored --------------------------------
N=$(photos)
F=$(files)
printf 'not an image at all' >"$T/text"
upload "$S" "$ID" before "$T/text"
expect_eq "not an image: 415" 415 "$CODE"
expect_match "with its code" '"code":"not_an_image"' "$BODY"
head -c 1500 "$P/gps.jpg" >"$T/cut.jpg"
upload "$S" "$ID" before "$T/cut.jpg"
expect_eq "a truncated JPEG: 422" 422 "$CODE"
expect_match "with its code" '"code":"photo_truncated"' "$BODY"
head -c 700 "$P/meta.png" >"$T/cut.png"
upload "$S" "$ID" before "$T/cut.png" image/png
expect_eq "a truncated PNG: 422" 422 "$CODE"
expect_match "with its code" '"code":"photo_truncated"' "$BODY"
upload "$S" "$ID" before "$P/meta.png" image/jpeg
expect_eq "a PNG that says it is a JPEG: 422" 422 "$CODE"
expect_match "with its code" '"code":"photo_type_mismatch"' "$BODY"
upload "$S" "$ID" before "$P/gps.jpg" application/json
expect_eq "a JPEG sent as JSON: 415" 415 "$CODE"
upload "$S" "$ID" before "$T/cut.jpg" application/octet-stream
expect_eq "a truncated JPEG as octet-stream: 422 (read by its bytes)" 422 \
    "$CODE"
expect_eq "a truncated JPEG with an empty Content-Type: 422 (by its bytes)" \
    422 "$(curl -s -o /dev/null -w '%{http_code}' -X POST \
    -H "Authorization: Bearer $S" -H 'Content-Type;' \
    --data-binary "@$T/cut.jpg" "$SERVER/v1/hazards/$ID/photos?stage=before")"
head -c 70000 /dev/zero | tr '\0' 'x' | cat "$P/gps.jpg" - >"$T/big.jpg"
upload "$S" "$ID" before "$T/big.jpg"
expect_eq "over max_photo: 413" 413 "$CODE"
expect_match "with its code" '"code":"photo_too_large"' "$BODY"
upload "$S" "$ID" sideways "$P/gps.jpg"
expect_eq "a stage that is neither: 422" 422 "$CODE"
expect_eq "nothing of them stored" "$N $F" "$(photos) $(files)"

# --- isolation ---------------------------------------------------------
upload "$S2" "$ID" before "$P/gps.jpg"
expect_eq "another school adds to it: 404" 404 "$CODE"
expect_match "as for the hazard" '"code":"no_such_hazard"' "$BODY"
expect_eq "another school reads a photo: 404" 404 \
    "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $S2" \
    "$SERVER/v1/photos/$PH")"
expect_eq "the office reads it: 200" 200 \
    "$(curl -s -o /dev/null -w '%{http_code}' \
    -H "Authorization: Bearer $HAZARD_TOKEN" "$SERVER/v1/photos/$PH")"
expect_eq "a photo that is not: 404" 404 \
    "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $S" \
    "$SERVER/v1/photos/99999")"
expect_eq "nothing stored" "$N" "$(photos)"

# --- the hazard lists them, the trail has them ------------------------
J=$(curl -s -H "Authorization: Bearer $S" "$SERVER/v1/hazards/$ID")
expect_match "GET the hazard lists its photos" \
    "\"photos\":\[\{\"id\":$PH,\"stage\":\"before\",\"type\":\"image/jpeg\",\"size\":[0-9]+,\"at\":\"[^\"]+\"\},\{\"id\":$PNG,.*\{\"id\":$WEBP,\"stage\":\"after\",\"type\":\"image/webp\"" \
    "$J"
expect_eq "each an event of the trail" 3 \
    "$(curl -s -H "Authorization: Bearer $S" "$SERVER/v1/hazards/$ID/events" |
    grep -o '"action":"photo"' | wc -l)"

# --- at most max_photos_per_hazard ------------------------------------
upload "$S" "$ID" after "$P/gps.jpg"
expect_eq "the fourth: 201" 201 "$CODE"
upload "$S" "$ID" after "$P/gps.jpg"
expect_eq "a fifth past max_photos_per_hazard = 4: 409" 409 "$CODE"
expect_match "with its code" '"code":"too_many_photos"' "$BODY"
expect_eq "the same bytes twice share one file" 3 "$(files)"

# --- rectify_needs_photo ----------------------------------------------
ID2=$(ctl --token "$S" report --title 楼梯扶手松动 --category buildings)
R=$(curl -s -w '\n%{http_code}' -X POST -H "Authorization: Bearer $S" \
    -H 'Content-Type: application/json' -d '{"note":"已修"}' \
    "$SERVER/v1/hazards/$ID2/rectify")
expect_eq "a rectification without an after photo: 422" 422 "${R##*$'\n'}"
expect_match "with its code" '"code":"photo_required"' "$R"
upload "$S" "$ID2" before "$P/gps.jpg"
R=$(curl -s -o /dev/null -w '%{http_code}' -X POST \
    -H "Authorization: Bearer $S" -H 'Content-Type: application/json' \
    -d '{"note":"已修"}' "$SERVER/v1/hazards/$ID2/rectify")
expect_eq "a before photo is not enough: 422" 422 "$R"
upload "$S" "$ID2" after "$P/meta.png" image/png
R=$(curl -s -o /dev/null -w '%{http_code}' -X POST \
    -H "Authorization: Bearer $S" -H 'Content-Type: application/json' \
    -d '{"note":"已修"}' "$SERVER/v1/hazards/$ID2/rectify")
expect_eq "with an after photo: 200" 200 "$R"
ctl reject "$ID2" --note 扶手仍松动 >/dev/null
R=$(curl -s -o /dev/null -w '%{http_code}' -X POST \
    -H "Authorization: Bearer $S" -H 'Content-Type: application/json' \
    -d '{"note":"再修"}' "$SERVER/v1/hazards/$ID2/rectify")
expect_eq "rejected: the after photo from before the rejection is not enough" \
    422 "$R"
upload "$S" "$ID2" after "$P/meta.webp" image/webp
R=$(curl -s -o /dev/null -w '%{http_code}' -X POST \
    -H "Authorization: Bearer $S" -H 'Content-Type: application/json' \
    -d '{"note":"再修"}' "$SERVER/v1/hazards/$ID2/rectify")
expect_eq "with a new after photo: 200" 200 "$R"

# --- hazardctl: report --photo, rectify --photo, show, photo get -----
expect_exit "hazardctl report --photo --photo" 0 ctl --token "$S" report \
    --title 消防通道堵塞 --category fire --photo "$P/gps.jpg" \
    --photo "$P/meta.webp"
ID3=$OUT
expect_exit "show lists its photos" 0 ctl --token "$S" show "$ID3"
expect_match "the JPEG, before" '^photos: +#[0-9]+ before image/jpeg [0-9]+ bytes ' \
    "$OUT"
expect_match "the WebP, before" '^ +#[0-9]+ before image/webp [0-9]+ bytes ' \
    "$OUT"
expect_match "each in the trail" 'photo +open +before' "$OUT"
PH3=$(printf '%s\n' "$OUT" | sed -n 's/^photos: *#\([0-9]*\) .*/\1/p')
expect_exit "photo get --output" 0 ctl --token "$S" photo get "$PH3" \
    --output "$T/ctl.jpg"
expect_eq "what it wrote is what the server serves" \
    "$(curl -s -H "Authorization: Bearer $S" "$SERVER/v1/photos/$PH3" |
    od -An -tx1 | tr -d ' \n')" "$(od -An -tx1 "$T/ctl.jpg" | tr -d ' \n')"
expect_exit "another school's photo get: refused" 1 ctl --token "$S2" \
    photo get "$PH3" --output "$T/other.jpg"
expect_eq "and no file written" "" "$(find "$T" -maxdepth 1 -name 'other.jpg*')"
expect_exit "rectify without a photo: refused" 1 ctl --token "$S" \
    rectify "$ID3" --note 已清理
expect_match "  saying why" 'after.*photo' "$ERR"
expect_exit "rectify --photo" 0 ctl --token "$S" rectify "$ID3" \
    --note 已清理 --photo "$P/meta.png"
expect_match "  rectified" "^ *$ID3 +hazard +S001 +general +rectified " "$OUT"
expect_exit "report --photo of a file that is not there: nothing sent" 2 \
    ctl --token "$S" report --title 不应存在 --category fire \
    --photo "$T/none.jpg"
expect_eq "  no such report" "" "$(ctl --token "$S" list | grep 不应存在)"
expect_exit "photo add of a text file: refused" 1 ctl --token "$S" \
    photo add "$ID3" "$T/text"
if locale -a 2>/dev/null | grep -qix 'zh_CN\.utf-\?8'; then
	expect_exit "  in Chinese too" 1 env LC_ALL=zh_CN.UTF-8 \
	    "$HAZARDCTL" --token "$S" photo add "$ID3" "$T/text"
	expect_match "  saying it is no image" '该文件不是 JPEG、PNG 或 WebP 图片' \
	    "$ERR"
	ID4=$(ctl --token "$S" report --title 窗户玻璃破损 --category buildings)
	expect_exit "rectify without a photo, in Chinese" 1 \
	    env LC_ALL=zh_CN.UTF-8 "$HAZARDCTL" --token "$S" rectify "$ID4" \
	    --note 已修
	expect_match "  saying what it needs" '整改报告须附整改后照片' "$ERR"
	expect_exit "show in Chinese" 0 env LC_ALL=zh_CN.UTF-8 \
	    "$HAZARDCTL" --token "$S" show "$ID3"
	expect_match "  its photos" '^照片: +#[0-9]+ 整改前 image/jpeg [0-9]+ 字节 ' \
	    "$OUT"
	expect_match "  the photo's event says its stage in Chinese" \
	    '照片 +待整改 +整改前$' "$OUT"
fi

expect_exit "hazardd check: every photo has its file" 0 \
    "$HAZARDD" -c "$CONF" check
expect_match "check counts them" '^photos: 10 rows, 3 files, ok$' "$OUT"

# --- Idempotency-Key: a photo sent again is stored once ---------------
# hazardctl sends the same key when it sends a photo again (its answer
# lost, or hazardctl killed after the server stored it).
ID5=$(ctl --token "$S" report --title 实验室通风故障 --category buildings)
# rows ID: the number of photos' rows of hazard ID.
rows() {
	sqlite3 -cmd ".timeout 5000" "$T/hazardd.db" \
	    "SELECT COUNT(*) FROM photos WHERE hazard_id = $1"
}
KEY=photo-k1 upload "$S" "$ID5" before "$P/gps.jpg"
expect_eq "a photo with a key: 201" 201 "$CODE"
FIRST=$BODY
PH5=$(printf '%s' "$BODY" | sed 's/^{"id":\([0-9]*\),.*/\1/')
KEY=photo-k1 upload "$S" "$ID5" before "$P/gps.jpg"
expect_eq "the same photo with the same key again: 200" 200 "$CODE"
expect_eq "  answered with the first photo, as the first time" "$FIRST" \
    "$BODY"
expect_eq "  stored once" 1 "$(rows "$ID5")"
expect_eq "  one photo event in the trail" 1 \
    "$(curl -s -H "Authorization: Bearer $S" "$SERVER/v1/hazards/$ID5/events" |
    grep -o '"action":"photo"' | wc -l)"
KEY=photo-k1 upload "$S" "$ID5" before "$P/meta.png" image/png
expect_eq "the same key with other bytes: 422" 422 "$CODE"
expect_match "  with its code" '"code":"key_reused",.*"field":"key"' "$BODY"
KEY=photo-k1 upload "$S" "$ID5" after "$P/gps.jpg"
expect_eq "the same key and bytes as another stage: 422" 422 "$CODE"
expect_match "  with its code" '"code":"key_reused"' "$BODY"
expect_eq "  neither stored" 1 "$(rows "$ID5")"
KEY=$(printf 'k%.0s' $(seq 201)) upload "$S" "$ID5" before "$P/gps.jpg"
expect_eq "a key of 201 characters: 422" 422 "$CODE"
expect_match "  invalid_field key" '"code":"invalid_field",.*"field":"key"' \
    "$BODY"
KEY=$'bad\tkey' upload "$S" "$ID5" before "$P/gps.jpg"
expect_eq "a key with a tab: 422" 422 "$CODE"
expect_eq "  neither stored" 1 "$(rows "$ID5")"
KEY=photo-k1 upload "$S" "$ID3" before "$P/gps.jpg"
expect_eq "the key on another hazard is another photo: 201" 201 "$CODE"
for i in 1 2 3; do
	KEY=photo-more-$i upload "$S" "$ID5" before "$P/meta.png" image/png
done
expect_eq "the hazard full (4 photos)" 4 "$(rows "$ID5")"
KEY=photo-k1 upload "$S" "$ID5" before "$P/gps.jpg"
expect_eq "a photo sent again to a full hazard: 200, not 409" 200 "$CODE"
expect_match "  its first answer" "^\{\"id\":$PH5,\"hazard\":$ID5," "$BODY"
finish
