/*
 * The columns of an export and of an import, in English and Chinese.
 */
#include <string.h>

#include "columns.h"
#include "wire.h"

const struct column columns[COLUMNS_MAX] = {
	{ "id",			"编号" },
	{ "kind",		"类型" },
	{ "school",		"学校" },
	{ "school_name",	"学校名称" },
	{ "category",		"类别" },
	{ "grade",		"等级" },
	{ "title",		"标题" },
	{ "description",	"描述" },
	{ "location",		"位置" },
	{ "responsible",	"责任人" },
	{ "department",		"责任部门" },
	{ "deadline",		"整改期限" },
	{ "plan",		"整改方案" },
	{ "assessment",		"风险研判" },
	{ "funds",		"整改资金" },
	{ "contingency",	"应急措施" },
	{ "state",		"状态" },
	{ "reported_at",	"上报时间" },
	{ "rectified_at",	"整改时间" },
	{ "rectify_note",	"整改说明" },
	{ "reject_note",	"退回意见" },
	{ "closed_at",		"销号时间" },
	{ "key",		"导入键" }
};

const struct column activity_columns[ACTIVITY_COLUMNS_MAX] = {
	{ "id",			"编号" },
	{ "school",		"学校" },
	{ "school_name",	"学校名称" },
	{ "type",		"活动类型" },
	{ "subtype",		"子类" },
	{ "date",		"日期" },
	{ "count",		"次数" },
	{ "note",		"说明" },
	{ "recorded_by",	"记录人" },
	{ "recorded_at",	"记录时间" },
	{ "key",		"导入键" }
};
const char *
columns_zh_value(int col, const char *value)
{
	const char	*name;

	if (value == NULL || col < 0 || col >= COLUMNS_MAX)
		return value;
	name = columns[col].name;
	if (strcmp(name, "kind") == 0 || strcmp(name, "grade") == 0 ||
	    strcmp(name, "state") == 0)
		return wire_zh(value);
	return value;
}
