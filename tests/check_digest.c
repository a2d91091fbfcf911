/*
 * Unit tests of daemon/digest_text.c: a digest's JSON rendered as text,
 * every section in both languages, exactly; and the untrusted text in
 * it (titles, a department's name, the office's note on a rejection)
 * kept on its line.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "digest.h"
#include "utf8.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * The digests rendered: one of each kind, as digest_build() makes them,
 * written with ' for " (see digest()).  Their numbers need not add up:
 * the renderer prints what it is given.
 */
#define RATE(r, i, v, t) \
	"{'rectified':" #r ",'identified':" #i ",'rate':" v ",'text':'" t "'}"
#define RATES(h, f) "'rates':{'hazard':" h ",'finding':" f "}"
#define ON_TIME(h, f) "'on_time':{'hazard':" h ",'finding':" f "}"

/* The district's row, and two schools: one all done, one with none. */
#define FIGURES(n, r, c, o, od, ds) \
	"'new':" #n ",'rectified':" #r ",'closed':" #c ",'open':" #o \
	",'overdue':" #od ",'due_soon':" #ds
/* The district's rates are of the hazards reported in its scope. */
#define ROW_DISTRICT(scope) "{'scope':'" scope "'," \
	FIGURES(3, 2, 1, 5, 2, 1) "," \
	RATES(RATE(411, 416, "98.8", "411/416 (98.8%)"), \
	    RATE(1, 3, "33.3", "1/3 (33.3%)")) "," \
	ON_TIME(RATE(400, 416, "96.2", "400/416 (96.2%)"), \
	    RATE(0, 3, "0", "0/3 (0%)")) "}"
/* A scope without findings says nothing of them. */
#define ROW_NO_FINDINGS(scope) "{'scope':'" scope "'," \
	FIGURES(1, 0, 0, 4, 1, 0) "," \
	RATES(RATE(0, 1, "0", "0/1 (0%)"), \
	    RATE(0, 0, "null", "0/0 (n/a)")) "," \
	ON_TIME(RATE(0, 1, "0", "0/1 (0%)"), \
	    RATE(0, 0, "null", "0/0 (n/a)")) "}"
#define ROW_S001 "{'key':'S001','name':'第一中学'," \
	FIGURES(2, 2, 1, 3, 2, 1) "," \
	RATES(RATE(177, 177, "100", "177/177 (100%)"), \
	    RATE(1, 3, "33.3", "1/3 (33.3%)")) "," \
	ON_TIME(RATE(170, 177, "96", "170/177 (96.0%)"), \
	    RATE(0, 3, "0", "0/3 (0%)")) "}"
#define ROW_S002 "{'key':'S002','name':'Riverside Primary'," \
	FIGURES(1, 0, 0, 2, 0, 0) "," \
	RATES(RATE(0, 0, "null", "0/0 (n/a)"), \
	    RATE(0, 0, "null", "0/0 (n/a)")) "," \
	ON_TIME(RATE(0, 0, "null", "0/0 (n/a)"), \
	    RATE(0, 0, "null", "0/0 (n/a)")) "}"
/* Rows of categories have no name. */
#define ROW_FIRE "{'key':'消防'," FIGURES(2, 1, 1, 3, 1, 0) "," \
	RATES(RATE(9, 10, "90", "9/10 (90.0%)"), \
	    RATE(0, 0, "null", "0/0 (n/a)")) "," \
	ON_TIME(RATE(8, 10, "80", "8/10 (80.0%)"), \
	    RATE(0, 0, "null", "0/0 (n/a)")) "}"

/*
 * Listed hazards: a Chinese one, and one whose title tries to break
 * its line and clear the terminal, cut at 40 columns.
 */
#define ITEM(id, title, deadline, state, plan, assessment) \
	"{'id':" #id ",'kind':'hazard','school':'S001'," \
	"'school_name':'第一中学','title':'" title "','category':'消防'," \
	"'grade':'major','state':'" state "','deadline':" deadline "," \
	"'department':null,'plan':" plan ",'assessment':" assessment "," \
	"'escalation':0"
#define ITEM_EXIT ITEM(7, "东楼安全出口堵塞", "'2026-11-20'", "open", \
	"true", "true")
#define ITEM_HOSTILE ITEM(12, "wire\\nloose\\u001b[2J in the very long " \
	"corridor of the east building", "null", "rectified", "false", "true")

/* A general hazard, new; a rejection whose note tries to forge lines. */
#define ITEM_RAIL "{'id':13,'kind':'hazard','school':'S002'," \
	"'school_name':'Riverside Primary','title':'Loose handrail'," \
	"'category':'设施','grade':'general','state':'open','deadline':null," \
	"'department':null,'plan':false,'assessment':false,'escalation':0}"
#define REJECTED_HOSTILE ITEM_HOSTILE ",'note':'灯仍不亮\\n## Forged: " \
	"line\\u001b[2J','rejected_at':'2026-11-24T15:20:00+08:00'}"

/*
 * The period's activities: two schools, the district's total counting
 * a warning issued to both once.
 */
#define ACTIVITIES "'activities':{'from':'2026-11-23','to':'2026-11-25'," \
	"'total':{'agreement':12,'warning':3,'drill':4,'lesson':40," \
	"'inspection':0,'training':1},'schools':[" \
	"{'school':'S001','school_name':'第一中学','agreement':0," \
	"'warning':2,'drill':3,'lesson':40,'inspection':0,'training':1}," \
	"{'school':'S002','school_name':'Riverside Primary','agreement':12," \
	"'warning':2,'drill':1,'lesson':0,'inspection':0,'training':0}]}"

#define HEAD(kind, period) \
	"'kind':'" kind "','period':'" period "','revision':2," \
	"'trigger':'manual','made_at':'2026-11-25T09:30:00+08:00'," \
	"'language':'zh','due_soon_days':3,"

static const char daily[] = "{" HEAD("daily", "2026-11-24")
	"'since':'2026-11-24T09:00:00+08:00',"
	"'until':'2026-11-25T09:00:00+08:00','today':'2026-11-25',"
	"'district':" ROW_DISTRICT("year") ","
	"'schools':[" ROW_S001 "," ROW_S002 "],"
	"'schools_scope':'year','schools_sum':'district',"
	"'new_hazards':[" ITEM_EXIT "}," ITEM_RAIL "],"
	"'rejected':[" REJECTED_HOSTILE "],"
	"'overdue':[" ITEM_EXIT ",'days_overdue':5}],"
	"'due_soon':[" ITEM_HOSTILE ",'days_left':2}],"
	"'awaiting':[" ITEM_HOSTILE ",'days_waiting':6}],"
	"'major':[" ITEM_EXIT ",'days_open':40}," ITEM_HOSTILE
	    ",'days_open':3}],"
	"'warnings':[{'id':4,'school':'S002','school_name':"
	    "'Riverside Primary','title':'台风“海葵”停课通知',"
	    "'issued_at':'2026-11-23T18:05:00+08:00'}]}";

static const char weekly[] = "{" HEAD("weekly", "2026-W48")
	"'since':'2026-11-23T00:00:00+08:00',"
	"'until':'2026-11-25T09:30:01+08:00','today':'2026-11-25',"
	"'district':" ROW_DISTRICT("period") ","
	"'previous':" ROW_NO_FINDINGS("previous") ","
	"'year':" ROW_DISTRICT("year") ","
	"'schools':[" ROW_S001 "," ROW_S002 "],"
	"'schools_scope':'year','schools_sum':'year',"
	"'categories':[" ROW_FIRE "],"
	"'new_hazards':[],'rejected':[],"
	"'silent':[{'school':'S002','school_name':'Riverside Primary'}],"
	"'late_acks':[{'id':4,'school':'S002','school_name':"
	    "'Riverside Primary','title':'台风“海葵”停课通知',"
	    "'issued_at':'2026-11-23T18:05:00+08:00','acked_at':null},"
	    "{'id':5,'school':'S001','school_name':'第一中学','title':'寒潮',"
	    "'issued_at':'2026-11-23T09:00:00+08:00',"
	    "'acked_at':'2026-11-24T10:00:00+08:00'}],"
	"'major':[]," ACTIVITIES "}";

/* The monthly lists only the major hazards lacking a plan or more. */
static const char monthly[] = "{" HEAD("monthly", "2026-11")
	"'since':'2026-11-01T00:00:00+08:00',"
	"'until':'2026-11-25T09:30:01+08:00','today':'2026-11-25',"
	"'district':" ROW_NO_FINDINGS("period") ","
	"'year':" ROW_DISTRICT("year") ","
	"'schools':[" ROW_S002 "],"
	"'schools_scope':'period','schools_sum':'district',"
	"'new_hazards':[" ITEM_RAIL "],'rejected':[],"
	"'escalate_after_days':30,"
	"'office_backlog':[" ITEM_HOSTILE ",'days_waiting':45}],"
	"'dispatch':{'escalated':2,'departments':{"
	    "'消防救援大队':[{'id':7,'school':'S001','school_name':'第一中学',"
	    "'title':'东楼安全出口堵塞','category':'消防',"
	    "'department':'消防救援大队','escalation':2,"
	    "'deadline':'2026-11-20','reason':'overdue'}],"
	    "'Roads\\nForged: line':[{'id':9,'school':'S002',"
	    "'school_name':'Riverside Primary','title':'Crossing light',"
	    "'category':'traffic','department':'Roads\\nForged: line',"
	    "'escalation':1,'deadline':null,'reason':'open_too_long'}]},"
	"'schools':{'S001':[{'id':7,'school':'S001','school_name':'第一中学',"
	    "'title':'东楼安全出口堵塞','category':'消防',"
	    "'department':'消防救援大队','escalation':2,"
	    "'deadline':'2026-11-20','reason':'overdue'}],"
	    "'S002':[{'id':9,'school':'S002',"
	    "'school_name':'Riverside Primary','title':'Crossing light',"
	    "'category':'traffic','department':'Roads\\nForged: line',"
	    "'escalation':1,'deadline':null,'reason':'open_too_long'}]}},"
	"'major':[" ITEM_EXIT ",'days_open':40}," ITEM_HOSTILE
	    ",'days_open':3}]," ACTIVITIES ","
	"'no_drill':[{'school':'S003','school_name':'第三小学'}]}";

/* The daily digest in Chinese. */
static const char daily_zh[] =
	"安全隐患日报 2026-11-24 (第2版)\n"
	"统计区间: 2026-11-24 09:00 至 2026-11-25 09:00\n"
	"\n"
	"全区概况\n"
	"  本期: 新增 3  整改 2  销号 1\n"
	"  全部在册: 在办 5  逾期 2  即将到期 1\n"
	"  本年累计: 隐患整改率 411/416 (98.8%)  按期整改率 400/416 (96.2%)\n"
	"  本年累计: 问题整改率 1/3 (33.3%)  按期整改率 0/3 (0%)\n"
	"\n"
	"本期新增隐患（重大在前）\n"
	"学校               代码  编号  隐患              类别  等级\n"
	"第一中学           S001     7  东楼安全出口堵塞  消防  重大\n"
	"Riverside Primary  S002    13  Loose handrail    设施  一般\n"
	"\n"
	"本期退回的整改\n"
	"学校      代码  编号  隐患                                      退回时间          区安全办意见\n"
	"第一中学  S001    12  wire loose [2J in the very long corri...  2026-11-24 15:20  灯仍不亮 ## Forged: line [2J\n"
	"\n"
	"逾期未整改\n"
	"学校      代码  编号  隐患              类别  整改期限    状态    逾期天数\n"
	"第一中学  S001     7  东楼安全出口堵塞  消防  2026-11-20  待整改         5\n"
	"\n"
	"3日内到期\n"
	"学校      代码  编号  隐患                                      类别  整改期限  状态    剩余天数\n"
	"第一中学  S001    12  wire loose [2J in the very long corri...  消防  -         待验收         2\n"
	"\n"
	"待验收（安全办）\n"
	"学校      代码  编号  隐患                                      类别  整改期限  状态    待验收天数\n"
	"第一中学  S001    12  wire loose [2J in the very long corri...  消防  -         待验收           6\n"
	"\n"
	"重大隐患（一事一策、一隐患一研判）\n"
	"学校      代码  编号  隐患                                      方案  研判  状态\n"
	"第一中学  S001     7  东楼安全出口堵塞                          有    有    待整改\n"
	"第一中学  S001    12  wire loose [2J in the very long corri...  无    有    待验收\n"
	"\n"
	"未确认的预警通知\n"
	"学校               代码  编号  预警                发布时间\n"
	"Riverside Primary  S002     4  台风“海葵”停课通知  2026-11-23 18:05\n"
	"\n"
	"各校情况\n"
	"（新增、整改、销号为本期；在办、逾期为全部在册；整改率为本年累计）\n"
	"学校               代码  新增  整改  销号  在办  逾期  隐患整改率       问题整改率\n"
	"第一中学           S001     2     2     1     3     2  177/177 (100%)   1/3 (33.3%)\n"
	"Riverside Primary  S002     1     0     0     2     0  0/0 (n/a)        0/0 (n/a)\n"
	"全区合计                    3     2     1     5     2  411/416 (98.8%)  1/3 (33.3%)\n";

/* The daily digest in English. */
static const char daily_en[] =
	"Daily hazard track 2026-11-24 (revision 2)\n"
	"Window: 2026-11-24 09:00 to 2026-11-25 09:00\n"
	"\n"
	"District\n"
	"  this period: new 3  rectified 2  closed 1\n"
	"  all on record: open 5  overdue 2  due soon 1\n"
	"  reported this year: hazard rectification rate 411/416 (98.8%)  on time 400/416 (96.2%)\n"
	"  reported this year: finding rectification rate 1/3 (33.3%)  on time 0/3 (0%)\n"
	"\n"
	"New this period (major first)\n"
	"School             Code  ID  Title             Category  Grade\n"
	"第一中学           S001   7  东楼安全出口堵塞  消防      major\n"
	"Riverside Primary  S002  13  Loose handrail    设施      general\n"
	"\n"
	"Rectifications rejected this period\n"
	"School    Code  ID  Title                                     Rejected          The office's note\n"
	"第一中学  S001  12  wire loose [2J in the very long corri...  2026-11-24 15:20  灯仍不亮 ## Forged: line [2J\n"
	"\n"
	"Overdue\n"
	"School    Code  ID  Title             Category  Deadline    State  Days overdue\n"
	"第一中学  S001   7  东楼安全出口堵塞  消防      2026-11-20  open              5\n"
	"\n"
	"Due within 3 days\n"
	"School    Code  ID  Title                                     Category  Deadline  State      Days left\n"
	"第一中学  S001  12  wire loose [2J in the very long corri...  消防      -         rectified          2\n"
	"\n"
	"Waiting for the office's verification\n"
	"School    Code  ID  Title                                     Category  Deadline  State      Days waiting\n"
	"第一中学  S001  12  wire loose [2J in the very long corri...  消防      -         rectified             6\n"
	"\n"
	"Major hazards (plan and risk assessment)\n"
	"School    Code  ID  Title                                     Plan  Assessment  State\n"
	"第一中学  S001   7  东楼安全出口堵塞                          yes   yes         open\n"
	"第一中学  S001  12  wire loose [2J in the very long corri...  no    yes         rectified\n"
	"\n"
	"Warnings not acknowledged\n"
	"School             Code  ID  Warning             Issued\n"
	"Riverside Primary  S002   4  台风“海葵”停课通知  2026-11-23 18:05\n"
	"\n"
	"Schools\n"
	"(new, rectified, closed: this period; open, overdue: all on record; rates: reported this year)\n"
	"School             Code  new  rectified  closed  open  overdue  hazard rectification rate  finding rectification rate\n"
	"第一中学           S001    2          2       1     3        2  177/177 (100%)             1/3 (33.3%)\n"
	"Riverside Primary  S002    1          0       0     2        0  0/0 (n/a)                  0/0 (n/a)\n"
	"District                   3          2       1     5        2  411/416 (98.8%)            1/3 (33.3%)\n";

/* The weekly digest in Chinese. */
static const char weekly_zh[] =
	"安全隐患周报 2026-W48 (第2版)\n"
	"统计区间: 2026-11-23 00:00 至 2026-11-25 09:30\n"
	"\n"
	"本周\n"
	"  本期: 新增 3  整改 2  销号 1\n"
	"  全部在册: 在办 5  逾期 2  即将到期 1\n"
	"  本期: 隐患整改率 411/416 (98.8%)  按期整改率 400/416 (96.2%)\n"
	"  本期: 问题整改率 1/3 (33.3%)  按期整改率 0/3 (0%)\n"
	"\n"
	"上周\n"
	"  上周: 新增 1  整改 0  销号 0\n"
	"  上周末在册: 在办 4  逾期 1  即将到期 0\n"
	"  上周: 隐患整改率 0/1 (0%)  按期整改率 0/1 (0%)\n"
	"\n"
	"本年累计\n"
	"  本年累计: 隐患整改率 411/416 (98.8%)  按期整改率 400/416 (96.2%)\n"
	"  本年累计: 问题整改率 1/3 (33.3%)  按期整改率 0/3 (0%)\n"
	"\n"
	"本期新增隐患（重大在前）\n"
	"  无\n"
	"\n"
	"本期退回的整改\n"
	"  无\n"
	"\n"
	"本周零报告学校\n"
	"学校               代码\n"
	"Riverside Primary  S002\n"
	"\n"
	"未在一日内确认预警\n"
	"学校               代码  编号  预警                发布时间          确认时间\n"
	"Riverside Primary  S002     4  台风“海葵”停课通知  2026-11-23 18:05  未确认\n"
	"第一中学           S001     5  寒潮                2026-11-23 09:00  2026-11-24 10:00\n"
	"\n"
	"重大隐患（一事一策、一隐患一研判）\n"
	"  无\n"
	"\n"
	"各校情况\n"
	"（新增、整改、销号为本期；在办、逾期为全部在册；整改率为本年累计）\n"
	"学校               代码  新增  整改  销号  在办  逾期  隐患整改率       问题整改率\n"
	"第一中学           S001     2     2     1     3     2  177/177 (100%)   1/3 (33.3%)\n"
	"Riverside Primary  S002     1     0     0     2     0  0/0 (n/a)        0/0 (n/a)\n"
	"全区合计                    3     2     1     5     2  411/416 (98.8%)  1/3 (33.3%)\n"
	"\n"
	"分类统计\n"
	"（新增、整改、销号为本期；在办、逾期为全部在册；整改率为本年累计）\n"
	"类别      新增  整改  销号  在办  逾期  隐患整改率       问题整改率\n"
	"消防         2     1     1     3     1  9/10 (90.0%)     0/0 (n/a)\n"
	"全区合计     3     2     1     5     2  411/416 (98.8%)  1/3 (33.3%)\n"
	"\n"
	"本期安全活动\n"
	"学校               代码  责任书  预警  演练  教育课时  检查  培训\n"
	"第一中学           S001       0     2     3        40     0     1\n"
	"Riverside Primary  S002      12     2     1         0     0     0\n"
	"全区合计                     12     3     4        40     0     1\n";

/* The weekly digest in English. */
static const char weekly_en[] =
	"Weekly hazard summary 2026-W48 (revision 2)\n"
	"Window: 2026-11-23 00:00 to 2026-11-25 09:30\n"
	"\n"
	"This week\n"
	"  this period: new 3  rectified 2  closed 1\n"
	"  all on record: open 5  overdue 2  due soon 1\n"
	"  reported this period: hazard rectification rate 411/416 (98.8%)  on time 400/416 (96.2%)\n"
	"  reported this period: finding rectification rate 1/3 (33.3%)  on time 0/3 (0%)\n"
	"\n"
	"The week before\n"
	"  the week before: new 1  rectified 0  closed 0\n"
	"  on record at its end: open 4  overdue 1  due soon 0\n"
	"  reported the week before: hazard rectification rate 0/1 (0%)  on time 0/1 (0%)\n"
	"\n"
	"Year to date\n"
	"  reported this year: hazard rectification rate 411/416 (98.8%)  on time 400/416 (96.2%)\n"
	"  reported this year: finding rectification rate 1/3 (33.3%)  on time 0/3 (0%)\n"
	"\n"
	"New this period (major first)\n"
	"  none\n"
	"\n"
	"Rectifications rejected this period\n"
	"  none\n"
	"\n"
	"Schools that reported nothing this week\n"
	"School             Code\n"
	"Riverside Primary  S002\n"
	"\n"
	"Warnings not acknowledged within a day\n"
	"School             Code  ID  Warning             Issued            Acknowledged\n"
	"Riverside Primary  S002   4  台风“海葵”停课通知  2026-11-23 18:05  not yet\n"
	"第一中学           S001   5  寒潮                2026-11-23 09:00  2026-11-24 10:00\n"
	"\n"
	"Major hazards (plan and risk assessment)\n"
	"  none\n"
	"\n"
	"Schools\n"
	"(new, rectified, closed: this period; open, overdue: all on record; rates: reported this year)\n"
	"School             Code  new  rectified  closed  open  overdue  hazard rectification rate  finding rectification rate\n"
	"第一中学           S001    2          2       1     3        2  177/177 (100%)             1/3 (33.3%)\n"
	"Riverside Primary  S002    1          0       0     2        0  0/0 (n/a)                  0/0 (n/a)\n"
	"District                   3          2       1     5        2  411/416 (98.8%)            1/3 (33.3%)\n"
	"\n"
	"By category\n"
	"(new, rectified, closed: this period; open, overdue: all on record; rates: reported this year)\n"
	"Category  new  rectified  closed  open  overdue  hazard rectification rate  finding rectification rate\n"
	"消防        2          1       1     3        1  9/10 (90.0%)               0/0 (n/a)\n"
	"District    3          2       1     5        2  411/416 (98.8%)            1/3 (33.3%)\n"
	"\n"
	"Safety activities this period\n"
	"School             Code  Agreements  Warnings  Drills  Lesson hours  Inspections  Trainings\n"
	"第一中学           S001           0         2       3            40            0          1\n"
	"Riverside Primary  S002          12         2       1             0            0          0\n"
	"District                         12         3       4            40            0          1\n";

/* The monthly digest in Chinese. */
static const char monthly_zh[] =
	"安全隐患月度调度 2026-11 (第2版)\n"
	"统计区间: 2026-11-01 00:00 至 2026-11-25 09:30\n"
	"\n"
	"本月\n"
	"  本期: 新增 1  整改 0  销号 0\n"
	"  全部在册: 在办 4  逾期 1  即将到期 0\n"
	"  本期: 隐患整改率 0/1 (0%)  按期整改率 0/1 (0%)\n"
	"\n"
	"本年累计\n"
	"  本年累计: 隐患整改率 411/416 (98.8%)  按期整改率 400/416 (96.2%)\n"
	"  本年累计: 问题整改率 1/3 (33.3%)  按期整改率 0/3 (0%)\n"
	"\n"
	"本期新增隐患（重大在前）\n"
	"学校               代码  编号  隐患            类别  等级\n"
	"Riverside Primary  S002    13  Loose handrail  设施  一般\n"
	"\n"
	"本期退回的整改\n"
	"  无\n"
	"\n"
	"调度清单 (本月升级督办 2)\n"
	"\n"
	"按责任部门\n"
	"【消防救援大队】\n"
	"学校      代码  编号  隐患              整改期限    督办级别  责任部门\n"
	"第一中学  S001     7  东楼安全出口堵塞  2026-11-20         2  消防救援大队\n"
	"【Roads Forged: line】\n"
	"学校               代码  编号  隐患            整改期限  督办级别  责任部门\n"
	"Riverside Primary  S002     9  Crossing light  -                1  Roads Forged: line\n"
	"\n"
	"按学校\n"
	"【S001】\n"
	"学校      代码  编号  隐患              整改期限    督办级别  责任部门\n"
	"第一中学  S001     7  东楼安全出口堵塞  2026-11-20         2  消防救援大队\n"
	"【S002】\n"
	"学校               代码  编号  隐患            整改期限  督办级别  责任部门\n"
	"Riverside Primary  S002     9  Crossing light  -                1  Roads Forged: line\n"
	"\n"
	"本办待验收超期（超过30天）\n"
	"学校      代码  编号  隐患                                      类别  整改期限  状态    待验收天数\n"
	"第一中学  S001    12  wire loose [2J in the very long corri...  消防  -         待验收          45\n"
	"\n"
	"缺少方案或研判的重大隐患\n"
	"学校      代码  编号  隐患                                      方案  研判  状态\n"
	"第一中学  S001    12  wire loose [2J in the very long corri...  无    有    待验收\n"
	"\n"
	"各校情况\n"
	"（新增、整改、销号为本期；在办、逾期为全部在册；整改率为本期）\n"
	"学校               代码  新增  整改  销号  在办  逾期  隐患整改率\n"
	"Riverside Primary  S002     1     0     0     2     0  0/0 (n/a)\n"
	"全区合计                    1     0     0     4     1  0/1 (0%)\n"
	"\n"
	"本期安全活动\n"
	"学校               代码  责任书  预警  演练  教育课时  检查  培训\n"
	"第一中学           S001       0     2     3        40     0     1\n"
	"Riverside Primary  S002      12     2     1         0     0     0\n"
	"全区合计                     12     3     4        40     0     1\n"
	"\n"
	"本月未开展应急演练的学校\n"
	"学校      代码\n"
	"第三小学  S003\n";

/* The monthly digest in English. */
static const char monthly_en[] =
	"Monthly hazard dispatch 2026-11 (revision 2)\n"
	"Window: 2026-11-01 00:00 to 2026-11-25 09:30\n"
	"\n"
	"This month\n"
	"  this period: new 1  rectified 0  closed 0\n"
	"  all on record: open 4  overdue 1  due soon 0\n"
	"  reported this period: hazard rectification rate 0/1 (0%)  on time 0/1 (0%)\n"
	"\n"
	"Year to date\n"
	"  reported this year: hazard rectification rate 411/416 (98.8%)  on time 400/416 (96.2%)\n"
	"  reported this year: finding rectification rate 1/3 (33.3%)  on time 0/3 (0%)\n"
	"\n"
	"New this period (major first)\n"
	"School             Code  ID  Title           Category  Grade\n"
	"Riverside Primary  S002  13  Loose handrail  设施      general\n"
	"\n"
	"Rectifications rejected this period\n"
	"  none\n"
	"\n"
	"Dispatch (escalated this month 2)\n"
	"\n"
	"By department\n"
	"【消防救援大队】\n"
	"School    Code  ID  Title             Deadline    Level  Department\n"
	"第一中学  S001   7  东楼安全出口堵塞  2026-11-20      2  消防救援大队\n"
	"【Roads Forged: line】\n"
	"School             Code  ID  Title           Deadline  Level  Department\n"
	"Riverside Primary  S002   9  Crossing light  -             1  Roads Forged: line\n"
	"\n"
	"By school\n"
	"【S001】\n"
	"School    Code  ID  Title             Deadline    Level  Department\n"
	"第一中学  S001   7  东楼安全出口堵塞  2026-11-20      2  消防救援大队\n"
	"【S002】\n"
	"School             Code  ID  Title           Deadline  Level  Department\n"
	"Riverside Primary  S002   9  Crossing light  -             1  Roads Forged: line\n"
	"\n"
	"Office backlog past the limit (waiting over 30 days)\n"
	"School    Code  ID  Title                                     Category  Deadline  State      Days waiting\n"
	"第一中学  S001  12  wire loose [2J in the very long corri...  消防      -         rectified            45\n"
	"\n"
	"Major hazards lacking a plan or an assessment\n"
	"School    Code  ID  Title                                     Plan  Assessment  State\n"
	"第一中学  S001  12  wire loose [2J in the very long corri...  no    yes         rectified\n"
	"\n"
	"Schools\n"
	"(new, rectified, closed: this period; open, overdue: all on record; rates: reported this period)\n"
	"School             Code  new  rectified  closed  open  overdue  hazard rectification rate\n"
	"Riverside Primary  S002    1          0       0     2        0  0/0 (n/a)\n"
	"District                   1          0       0     4        1  0/1 (0%)\n"
	"\n"
	"Safety activities this period\n"
	"School             Code  Agreements  Warnings  Drills  Lesson hours  Inspections  Trainings\n"
	"第一中学           S001           0         2       3            40            0          1\n"
	"Riverside Primary  S002          12         2       1             0            0          0\n"
	"District                         12         3       4            40            0          1\n"
	"\n"
	"Schools with no drill this month\n"
	"School    Code\n"
	"第三小学  S003\n";

/* A digest, its language and its text. */
static const struct render_case {
	const char	*json;
	const char	*language;
	const char	*text;
} cases[] = {
	{ daily, "zh", daily_zh },
	{ daily, "en", daily_en },
	{ weekly, "zh", weekly_zh },
	{ weekly, "en", weekly_en },
	{ monthly, "zh", monthly_zh },
	{ monthly, "en", monthly_en },
};

/* The JSON of a fixture, its ' made ". */
static json_t *
digest(const char *sq)
{
	json_error_t	 error;
	json_t		*d;
	char		*s, *p;

	s = strdup(sq);
	for (p = s; *p != '\0'; p++)
		if (*p == '\'')
			*p = '"';
	d = json_loads(s, 0, &error);
	ck_assert_msg(d != NULL, "fixture: %s at %d", error.text,
	    error.position);
	free(s);
	return d;
}

/* Asserts got is want, naming the first line that differs. */
static void
same_text(const char *got, const char *want)
{
	size_t	n, m;
	int	line;

	for (line = 1; *got != '\0' || *want != '\0'; line++) {
		n = strcspn(got, "\n");
		m = strcspn(want, "\n");
		ck_assert_msg(n == m && strncmp(got, want, n) == 0 &&
		    got[n] == want[m], "line %d: got \"%.*s\", want \"%.*s\"",
		    line, (int)n, got, (int)m, want);
		got += n + (got[n] != '\0');
		want += m + (want[m] != '\0');
	}
}

START_TEST(test_render)
{
	const struct render_case	*c = &cases[_i];
	json_t				*d = digest(c->json);
	char				*text;

	text = digest_render_text(d, c->language);
	if (getenv("CHECK_DIGEST_PRINT") != NULL)
		printf("=== %d\n%s", _i, text);
	same_text(text, c->text);
	free(text);
	json_decref(d);
}
END_TEST

/*
 * What a school or a configuration wrote reaches no terminal as a
 * control, and starts no line of its own: no ESC, and the department
 * "Roads\nForged: line" stays one heading.
 */
START_TEST(test_untrusted)
{
	const struct render_case	*c = &cases[_i];
	json_t				*d = digest(c->json);
	char				*text;

	text = digest_render_text(d, c->language);
	ck_assert_ptr_null(strchr(text, '\x1b'));
	ck_assert_ptr_null(strstr(text, "\nForged"));
	ck_assert_ptr_null(strstr(text, "\nloose"));
	ck_assert_ptr_null(strstr(text, "\n## Forged"));
	if (c->json == daily)
		ck_assert_ptr_nonnull(strstr(text, "  2026-11-24 15:20  "
		    "灯仍不亮 ## Forged: line [2J\n"));
	if (c->json == monthly)
		ck_assert_ptr_nonnull(strstr(text,
		    "\n【Roads Forged: line】\n"));
	free(text);
	json_decref(d);
}
END_TEST

/*
 * A category is shown by its name in the digest's language, from the
 * vocabulary the digest carries; a code it lacks, as it is.
 */
START_TEST(test_category_names)
{
	const char	*const fixtures[] = { daily, weekly };
	json_t		*d;
	char		*zh, *en;
	size_t		 i;

	for (i = 0; i < NELEM(fixtures); i++) {
		d = digest(fixtures[i]);
		json_object_set_new(d, "category_names", json_pack(
		    "{s:{s:s, s:s}}", "消防", "zh", "消防安全", "en",
		    "Fire safety"));
		zh = digest_render_text(d, "zh");
		en = digest_render_text(d, "en");
		ck_assert_msg(strstr(zh, "消防安全 ") != NULL, "%s", zh);
		ck_assert_msg(strstr(zh, " 消防 ") == NULL, "%s", zh);
		ck_assert_msg(strstr(en, "Fire safety ") != NULL, "%s", en);
		ck_assert_msg(strstr(en, " 消防 ") == NULL, "%s", en);
		ck_assert_str_eq(digest_category_name(d, "消防", 1),
		    "Fire safety");
		ck_assert_str_eq(digest_category_name(d, "traffic", 0),
		    "traffic");
		free(zh);
		free(en);
		json_decref(d);
	}
}
END_TEST

static Suite *
digest_suite(void)
{
	Suite	*s = suite_create("digest");
	TCase	*tc = tcase_create("text");

	tcase_add_loop_test(tc, test_render, 0, NELEM(cases));
	tcase_add_loop_test(tc, test_untrusted, 0, NELEM(cases));
	tcase_add_test(tc, test_category_names);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(digest_suite());
	int	 failed;

	/* Chinese is two columns wide, as in the daemon (main.c). */
	(void)utf8_locale(0);

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
