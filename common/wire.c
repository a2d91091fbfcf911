/*
 * The words of the wire, each list in the order of the daemon's enum.
 */
#include <string.h>

#include "wire.h"

const char *const wire_kinds[] = {
	WIRE_KIND_HAZARD, WIRE_KIND_FINDING, NULL
};

const char *const wire_grades[] = {
	WIRE_GRADE_GENERAL, WIRE_GRADE_MAJOR, NULL
};

const char *const wire_states[] = {
	WIRE_STATE_OPEN, WIRE_STATE_RECTIFIED, WIRE_STATE_CLOSED,
	WIRE_STATE_CANCELLED, NULL
};

const char *const wire_actions[] = {
	WIRE_ACTION_REPORT, WIRE_ACTION_ASSESS, WIRE_ACTION_RECTIFY,
	WIRE_ACTION_VERIFY, WIRE_ACTION_REJECT, WIRE_ACTION_CANCEL,
	WIRE_ACTION_ESCALATE, NULL
};

const char *const wire_roles[] = {
	WIRE_ROLE_OFFICE, WIRE_ROLE_SCHOOL, NULL
};

const char *const wire_cycles[] = {
	WIRE_CYCLE_DAILY, WIRE_CYCLE_WEEKLY, WIRE_CYCLE_MONTHLY, NULL
};

const char *const wire_bys[] = {
	WIRE_BY_SCHOOL, WIRE_BY_CATEGORY, NULL
};

const char *const wire_formats[] = {
	WIRE_FORMAT_CSV, WIRE_FORMAT_JSON, NULL
};

int
wire_find(const char *const *names, const char *name)
{
	int	i;

	for (i = 0; names[i] != NULL; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}
