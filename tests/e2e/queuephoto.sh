#!/bin/bash
# A report's photos wait in the queue with it (issues 15 and 16): a
# report --photo (or a rectify --photo) that finds no server is kept
# with a copy of each photo beside it; once the server is back the
# report is sent, then its photos to the hazard it became ("before"; a
# rectification's "after" photos go before it), each copy leaving the
# queue once the server has it.  A photo the server refuses is said
# and leaves the queue; one that must wait stays with the hazard's id,
# and the report is not sent twice.
. "$(dirname "$0")/lib.sh"

need_faultfs
P=$(cd "$(dirname "$0")/photos" && pwd)
export XDG_STATE_HOME="$T/state"
Q=$XDG_STATE_HOME/hazardctl/queue
# The photos' files fail while $FAULTFS_CTL exists: a server that
# cannot take a photo now (500), the database untouched.
export FAULTFS_DIR="$T/hazardd.db.photos" FAULTFS_CTL="$T/fault"
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0"
CONFIG=("[server]" "max_photo = 65536" "[policy]" "rectify_needs_photo = yes")
db() { sqlite3 -cmd '.timeout 5000' "$T/hazardd.db" "$1"; }
# queued: the files in the queue, entries and photos (not the lock).
queued() { find "$Q" -maxdepth 1 -type f ! -name '.lock' | wc -l; }
# photos_of ID: the number of photos the server keeps of hazard ID.
photos_of() { db "SELECT count(*) FROM photos WHERE hazard_id = $1"; }

LD_PRELOAD="$FAULTFS" start_daemon "${CONFIG[@]}"
OFFICE=$(office_token office)
HAZARD_TOKEN=$OFFICE ctl school add S001 第一中学 >/dev/null
export HAZARD_TOKEN=$(HAZARD_TOKEN=$OFFICE ctl token create --school S001 \
    --name 安全员)
H=$(ctl report --title 东楼灭火器过期 --category fire)

# --- a report with two photos, no server -------------------------------
stop_daemon
expect_exit "report --photo with no server is queued (exit 4)" 4 \
    ctl report --title 操场护栏松动 --category buildings \
    --photo "$P/gps.jpg" --photo "$P/meta.webp"
expect_match "it says the photos wait with it" \
    'kept in the queue with its photos \(2\): hazardctl sync sends them' \
    "$ERR"
expect_eq "in one line" 1 "$(printf '%s\n' "$ERR" | wc -l)"
expect_eq "the entry and a copy of each photo in the queue" 3 "$(queued)"
entry=$(find "$Q" -maxdepth 1 -name '*.json')
stem=$(basename "$entry" .json)
expect_eq "the copies named after the request, mode 600" \
    "$stem.photo-1 600 $stem.photo-2 600" \
    "$(cd "$Q" && stat -c '%n %a' "$stem".photo-* | tr '\n' ' ' |
    sed 's/ $//')"
expect_eq "the JPEG's copy is its bytes" "" \
    "$(cmp "$P/gps.jpg" "$Q/$stem.photo-1" 2>&1)"
expect_eq "the WebP's copy is its bytes" "" \
    "$(cmp "$P/meta.webp" "$Q/$stem.photo-2" 2>&1)"
expect_eq "the entry names them" "gps.jpg meta.webp" \
    "$(jq -r '[.photos[].name] | join(" ")' "$entry")"
expect_exit "queue lists it" 0 ctl queue
expect_match "with a PHOTOS column" 'PHOTOS' "$(printf '%s\n' "$OUT" | head -1)"
expect_match "and its two photos" '操场护栏松动 +2 ' "$OUT"

# --- the server is back: the next command sends both --------------------
LD_PRELOAD="$FAULTFS" start_daemon "${CONFIG[@]}"
expect_exit "list" 0 ctl list
expect_match "sent the report first" 'queued report sent: "操场护栏松动" is hazard' \
    "$ERR"
ID=$(printf '%s\n' "$ERR" | sed -n 's/.*"操场护栏松动" is hazard \([0-9]*\)$/\1/p')
expect_match "then the JPEG" "queued photo gps.jpg sent: photo [0-9]+ of hazard $ID\$" \
    "$ERR"
expect_match "and the WebP" "queued photo meta.webp sent: photo [0-9]+ of hazard $ID\$" \
    "$ERR"
expect_eq "the queue is clean" 0 "$(queued)"
expect_exit "show lists them" 0 ctl show "$ID"
expect_match "the JPEG, before" '^photos: +#[0-9]+ before image/jpeg [0-9]+ bytes ' \
    "$OUT"
expect_match "the WebP, before" '^ +#[0-9]+ before image/webp [0-9]+ bytes ' \
    "$OUT"
PH=$(printf '%s\n' "$OUT" | sed -n 's/^photos: *#\([0-9]*\) .*/\1/p')
expect_exit "photo get" 0 ctl photo get "$PH" --output "$T/got.jpg"
expect_eq "no GPS nor camera in what is served" 0 \
    "$(grep -ac 'GPS\|SecretCam\|Teacher-Wang\|classroom-3B\|school-S001' "$T/got.jpg")"
expect_eq "the picture's tables and scan are the same bytes" \
    "$(tail -c 300 "$P/gps.jpg" | od -An -tx1 | tr -d ' \n')" \
    "$(tail -c 300 "$T/got.jpg" | od -An -tx1 | tr -d ' \n')"
expect_exit "sync again" 0 ctl sync
expect_match "sends nothing" 'nothing waits' "$ERR"
expect_eq "the photos not sent twice" 2 "$(photos_of "$ID")"
expect_eq "the report recorded once" 1 \
    "$(db "SELECT count(*) FROM hazards WHERE title = '操场护栏松动'")"

# --- the report taken, its photo not now: it waits with the id ----------
stop_daemon
expect_exit "a report with a photo queued" 4 \
    ctl report --title 配电箱未上锁 --category electrical --photo "$P/meta.png"
# A temporary file a crash left beside it does not stop the id's keeping.
entry=$(find "$Q" -maxdepth 1 -name '*.json')
echo '{"left": "by a crash"}' >"$Q/.tmp-$(basename "$entry")"
LD_PRELOAD="$FAULTFS" start_daemon "${CONFIG[@]}"
echo enospc >"$FAULTFS_CTL"
expect_exit "sync: the photo must wait (exit 3)" 3 ctl sync
expect_match "the report sent" 'queued report sent: "配电箱未上锁" is hazard' \
    "$ERR"
ID2=$(db "SELECT id FROM hazards WHERE title = '配电箱未上锁'")
expect_match "the photo not: why" 'HTTP 500' "$ERR"
expect_eq "the entry and the photo stay" 2 "$(queued)"
expect_eq "the entry keeps the hazard's id" "$ID2" \
    "$(jq -r .hazard "$Q"/*.json)"
expect_exit "queue lists its photo" 0 ctl queue
expect_match "still to send" '配电箱未上锁 +1 ' "$OUT"
rm -f "$FAULTFS_CTL"
expect_exit "sync again" 0 ctl sync
expect_match "sends the photo to that hazard" \
    "queued photo meta.png sent: photo [0-9]+ of hazard $ID2\$" "$ERR"
expect_eq "not the report again" "" \
    "$(printf '%s\n' "$ERR" | grep 'queued report sent')"
expect_eq "the report recorded once" 1 \
    "$(db "SELECT count(*) FROM hazards WHERE title = '配电箱未上锁'")"
expect_eq "its photo once" 1 "$(photos_of "$ID2")"
expect_eq "the queue is clean" 0 "$(queued)"

# --- a photo the server refuses (over max_photo) ------------------------
head -c 70000 /dev/zero | tr '\0' 'x' | cat "$P/gps.jpg" - >"$T/big.jpg"
stop_daemon
expect_exit "a report with a photo too large and one fine, queued" 4 \
    ctl report --title 围墙裂缝 --category buildings --photo "$T/big.jpg" \
    --photo "$P/gps.jpg"
LD_PRELOAD="$FAULTFS" start_daemon "${CONFIG[@]}"
expect_exit "sync: one refused (exit 1)" 1 ctl sync
ID3=$(db "SELECT id FROM hazards WHERE title = '围墙裂缝'")
expect_match "says which" \
    "queued photo big.jpg of hazard $ID3 refused, out of the queue" "$ERR"
expect_match "and why" 'HTTP 413 photo_too_large' \
    "$ERR"
expect_eq "not blamed on max_body" 0 "$(printf '%s\n' "$ERR" | grep -c max_body)"
expect_match "the other sent" "queued photo gps.jpg sent: photo [0-9]+ of hazard $ID3\$" \
    "$ERR"
expect_eq "the queue is clean" 0 "$(queued)"
expect_eq "one photo kept" 1 "$(photos_of "$ID3")"
expect_exit "sync again" 0 ctl sync
expect_eq "no photo twice" 1 "$(photos_of "$ID3")"
if locale -a 2>/dev/null | grep -qix 'zh_CN\.utf-\?8'; then
	stop_daemon
	expect_exit "refused, in Chinese" 4 ctl report --title 窗户玻璃破损 \
	    --category buildings --photo "$T/big.jpg"
	expect_match "  kept, in Chinese" '照片' "$(LC_ALL=zh_CN.UTF-8 \
	    "$HAZARDCTL" queue 2>&1)"
	LD_PRELOAD="$FAULTFS" start_daemon "${CONFIG[@]}"
	expect_exit "  sync" 1 env LC_ALL=zh_CN.UTF-8 "$HAZARDCTL" sync
	expect_match "  says it in Chinese" '照片.*big.jpg' "$ERR"
	expect_eq "  in no English sentence" "" \
	    "$(printf '%s\n' "$ERR" | grep -E 'queued|refused|photo ')"
fi

# --- the report answered, the server gone before its photos -------------
# A stand-in on the server's port takes the report (as hazard $H) and
# closes the connection on each photo without an answer.
stop_daemon
start_standin "$PORT" "^/v1/hazards\$={\"id\": $H}"
expect_exit "report --photo, the server gone after the report (exit 4)" 4 \
    ctl report --title 食堂冰箱温度过高 --category food --photo "$P/gps.jpg" \
    --photo "$P/meta.png"
expect_eq "the report's id printed" "$H" "$OUT"
expect_match "the photos wait in the queue" \
    'no answer from .*the photos not sent \(2\) wait in the queue: hazardctl sync sends them' \
    "$ERR"
expect_eq "the entry and its two photos" 3 "$(queued)"
expect_eq "the entry keeps the hazard's id" "$H" "$(jq -r .hazard "$Q"/*.json)"
stop_standin
before=$(photos_of "$H")
LD_PRELOAD="$FAULTFS" start_daemon "${CONFIG[@]}"
expect_exit "sync" 0 ctl sync
expect_eq "not the report" "" "$(printf '%s\n' "$ERR" | grep 'queued report')"
expect_match "the photos, to its hazard" \
    "queued photo meta.png sent: photo [0-9]+ of hazard $H\$" "$ERR"
expect_eq "both" $((before + 2)) "$(photos_of "$H")"
expect_eq "the queue is clean" 0 "$(queued)"

# --- what a hazardctl killed while it queued left -------------------------
# Copies written, the entry not: the process of the pid in their names
# is gone.  Those of a live one (this shell) may be its entry's to come.
true &
dead=$!
wait $dead
echo photo >"$Q/000000000001.000000001-$dead.photo-1"
echo photo >"$Q/.tmp-000000000001.000000001-$dead.photo-2"
echo photo >"$Q/000000000001.000000002-$$.photo-1"
expect_exit "sync" 0 ctl sync
expect_eq "takes out the dead one's, leaves the live one's" \
    "000000000001.000000002-$$.photo-1" "$(ls -A "$Q" | grep -v '^\.lock$')"
rm "$Q/000000000001.000000002-$$.photo-1"

# --- a rectification with an after photo, no server ---------------------
stop_daemon
expect_exit "rectify --photo with no server is queued (exit 4)" 4 \
    ctl rectify "$H" --note 已更换灭火器 --photo "$P/meta.png"
expect_match "with its photo" 'kept in the queue with its photos \(1\)' "$ERR"
expect_exit "queue lists it" 0 ctl queue
expect_match "with its photo" "hazard $H +1 " "$OUT"
LD_PRELOAD="$FAULTFS" start_daemon "${CONFIG[@]}"
expect_exit "sync" 0 ctl sync
expect_match "the photo first" "queued photo meta.png sent: photo [0-9]+ of hazard $H\$" \
    "$ERR"
expect_match "then the rectification, which needs it" \
    "queued rectify sent: hazard $H" "$ERR"
expect_eq "rectified" rectified "$(db "SELECT state FROM hazards WHERE id = $H")"
expect_eq "with its after photo" 1 \
    "$(db "SELECT count(*) FROM photos WHERE hazard_id = $H AND stage = 'after'")"
expect_eq "the queue is clean" 0 "$(queued)"

# --- a queued photo sent again is stored once ----------------------------
# hazardctl killed after the server stored the report and its photo,
# before their copies left the queue: the queue as it was is sent again,
# the report by its key, the photo by the key made of the report's key
# and its place: the server answers the photo it has.
stop_daemon
expect_exit "report --photo with no server is queued (exit 4)" 4 \
    ctl report --title 食堂燃气报警器失灵 --category fire --key rk-again \
    --photo "$P/gps.jpg"
cp -a "$Q" "$T/queue-before"
LD_PRELOAD="$FAULTFS" start_daemon "${CONFIG[@]}"
expect_exit "sync" 0 ctl sync
ID5=$(db "SELECT id FROM hazards WHERE idem_key = 'rk-again'")
expect_eq "its photo stored" 1 "$(photos_of "$ID5")"
expect_eq "  with the key of the report's first photo" photo0-rk-again \
    "$(db "SELECT idem_key FROM photos WHERE hazard_id = $ID5")"
PH5=$(db "SELECT id FROM photos WHERE hazard_id = $ID5")
rm -rf "$Q" && cp -a "$T/queue-before" "$Q"
expect_exit "the same queue sent again" 0 ctl sync
expect_match "  the photo answered as the one stored" \
    "queued photo gps.jpg sent: photo $PH5 of hazard $ID5\$" "$ERR"
expect_eq "  stored once" 1 "$(photos_of "$ID5")"
expect_eq "  the queue is clean" 0 "$(queued)"

# --- the first photo taken, the server gone before the second -----------
# A stand-in takes the report (as hazard $ID5) and its first photo, and
# closes the connection on the second: that one waits in the queue with
# its place, and goes with the key it was first sent with.
stop_daemon
start_standin "$PORT" "^/v1/hazards\$={\"id\": $ID5}" \
    --once '/photos={"id": 1}'
expect_exit "report --photo --photo, the second lost (exit 4)" 4 \
    ctl report --title 食堂燃气报警器失灵 --category fire --key rk-second \
    --photo "$P/gps.jpg" --photo "$P/meta.png"
expect_eq "the second photo waits, with its place" 1 \
    "$(jq -r .photo_first "$Q"/*.json)"
stop_standin
LD_PRELOAD="$FAULTFS" start_daemon "${CONFIG[@]}"
expect_exit "sync" 0 ctl sync
expect_eq "it goes with the key of the report's second photo" \
    photo1-rk-second "$(db "SELECT idem_key FROM photos WHERE hazard_id =
    $ID5 ORDER BY id DESC LIMIT 1")"
expect_eq "  the queue is clean" 0 "$(queued)"

# Online, report --photo sends each photo with the key made of the
# report's and its place, as the queue would; photo add a random one.
expect_exit "report --photo --photo" 0 ctl report --title 配电箱门未锁 \
    --category buildings --key rk-online --photo "$P/gps.jpg" \
    --photo "$P/meta.png"
expect_eq "  each photo with its key" "photo0-rk-online photo1-rk-online" \
    "$(db "SELECT group_concat(idem_key, ' ') FROM (SELECT idem_key FROM
    photos WHERE hazard_id = $OUT ORDER BY id)")"
expect_exit "photo add" 0 ctl photo add "$OUT" "$P/meta.webp"
expect_match "  with a random key" '^[0-9a-f]{32}$' \
    "$(db "SELECT idem_key FROM photos WHERE id = $OUT")"

finish
