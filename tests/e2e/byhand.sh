#!/bin/bash
# A run by hand says what it covers: without --period, the day under
# way up to now, titled as provisional, with what was just reported;
# digest --period checks its argument as cycle run does, and a period
# not made yet is named in the command that makes it.
. "$(dirname "$0")/lib.sh"

start_at "2026-12-05 03:30:00"
export HAZARD_TOKEN=$(office_token office)
ctl school add S001 第一中学 >/dev/null
ctl report --school S001 --title 东楼安全出口堵塞 --category fire \
    --deadline 2026-12-20 >/dev/null
ctl report --school S001 --title 食堂留样不全 --category food >/dev/null

expect_exit "the daily by hand at 03:30" 0 ctl cycle run daily
expect_match "is the day under way" '^daily 2026-12-05 revision 1' "$OUT"
expect_exit "read it" 0 ctl digest daily
expect_match "titled as provisional, up to now" \
    '^安全隐患日报 2026-12-05 \(第1版，截至 03:3[0-9]，未满一期\)' "$OUT"
expect_match "its window ends now" '统计区间: 2026-12-04 08:00 至 2026-12-05 03:3' "$OUT"
expect_match "with the two hazards just reported" '新增 2' "$OUT"
expect_exit "its JSON" 0 ctl --json digest daily
expect_match "says provisional" '"provisional": true' "$OUT"

expect_exit "a weekly by hand is the week under way" 0 ctl cycle run weekly
expect_match "2026-W49" '^weekly 2026-W49 revision 1' "$OUT"
expect_exit "a monthly by hand is the month just ended" 0 \
    ctl cycle run monthly
expect_match "2026-11" '^monthly 2026-11 revision 1' "$OUT"
expect_exit "which is whole" 0 ctl --json digest monthly
expect_match "not provisional" '"provisional": false' "$OUT"

expect_exit "digest --period in another form" 1 \
    ctl digest daily --period 2026/12/05
expect_match "is refused as cycle run refuses it" \
    'period: expected a date, 2026-11-24' "$ERR"
expect_exit "a weekly's period that is no week" 1 \
    ctl digest weekly --period 2026-12
expect_match "names the form" 'an ISO week, 2026-W48' "$ERR"
expect_exit "a period not made yet" 1 ctl digest daily --period 2026-12-04
expect_match "names the command that makes it" \
    'hazardctl cycle run daily --period 2026-12-04' "$ERR"
expect_exit "which does" 0 ctl cycle run daily --period 2026-12-04
expect_exit "and it is whole" 0 ctl digest daily --period 2026-12-04
expect_match "titled without provisional" \
    '^安全隐患日报 2026-12-04 \(第1版\)$' "$OUT"
finish
