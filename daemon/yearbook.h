/*
 * The safety paragraph of the district's annual self-assessment, in its
 * own wording, from a year's figures.  Pure: no I/O.
 */
#ifndef HAZARDD_YEARBOOK_H
#define HAZARDD_YEARBOOK_H

#include <stdint.h>

/* A year's figures, as of its end; a count of 0 leaves its clause out. */
struct yearbook {
	int		 school;	/* 1: of a school (本校), 0: 全区 */
	int64_t		 hazards;	/* hazard points identified */
	int64_t		 hazards_rectified;
	int64_t		 findings;	/* problems found */
	int64_t		 findings_rectified;
	int64_t		 agreements;	/* 安全责任书 signed */
	int64_t		 warnings;	/* 预警提示 issued */
	int64_t		 drills;	/* 应急演练 */
	int64_t		 drills_terror;	/* of which 反恐防暴 */
	int64_t		 lessons;	/* 安全教育, in class hours */
};

/*
 * The paragraph, allocated: "全区共梳理排查安全隐患点416条，已完成整改
 * 411条，整改率98.8%；发现问题177个，全部整改到位；签订安全责任书280余份，
 * ...。" The hazards' counts are exact (they go with their rate), the
 * activities' written as rate_about() writes them.  A year of nothing
 * says so.
 */
char	*yearbook_text(int year, const struct yearbook *y);

#endif
