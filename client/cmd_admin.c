/*
 * Administration, for the office: schools and tokens.
 */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "conn.h"
#include "hazardctl.h"
#include "table.h"
#include "wire.h"

const struct opt no_opts[] = {
	{ NULL, NULL, 0, NULL }
};

const struct opt token_create_opts[] = {
	{ "school", "CODE", OPT_WIRE | OPT_ONEOF,
	    N_("a token of this school") },
	{ "office", NULL, OPT_ONEOF,
	    N_("a token of the district safety office") },
	{ "name", "NAME", OPT_REQUIRED | OPT_WIRE,
	    N_("who holds it; the audit trail shows it") },
	{ "link", NULL, 0,
	    N_("print a link to the web page that signs in with it") },
	{ NULL, NULL, 0, NULL }
};

const struct opt school_set_opts[] = {
	{ "name", "NAME", 0, N_("the school's name") },
	{ "department", "DEPT", 0, N_("the office that answers for the "
	    "school; \"\" for none") },
	{ "webhook", "URL", 0,
	    N_("the school's DingTalk or WeCom robot (https)") },
	{ "no-webhook", NULL, 0, N_("the school has no robot any more") },
	{ "secret", "SEC", 0, N_("the robot's DingTalk signing secret") },
	{ "format", "F", 0,
	    N_("dingtalk or wecom, when the URL's host does not tell") },
	{ NULL, NULL, 0, NULL }
};

const struct opt school_retire_opts[] = {
	{ "undo", NULL, 0, N_("bring a retired school back") },
	{ NULL, NULL, 0, NULL }
};

/* Sends a request and prints the JSON answer if --json asks for it. */
static int
call(struct ctl *ctl, const char *method, const char *path, json_t *body,
    json_t **out)
{
	struct conn_req	req = { NULL, NULL, NULL, NULL, NULL };
	int		rc;

	req.method = method;
	req.path = path;
	req.body = body;
	rc = ctl_request(ctl, &req, 1, out);
	json_decref(body);
	if (rc == 0 && ctl->json)
		ctl_print_json(*out);
	return rc;
}

/* Prints schools as a table. */
static void
print_schools(const json_t *schools)
{
	static const char *const cols[] = { N_("CODE"), N_("NAME"),
	    N_("DEPARTMENT"), N_("ROBOT"), N_("RETIRED") };
	struct table	*t;
	const json_t	*s, *robot, *retired;
	size_t		 i;

	t = ctl_table(5, cols);
	json_array_foreach(schools, i, s) {
		table_add(t, ctl_str(s, "code"));
		table_add(t, ctl_str(s, "name"));
		table_add(t, ctl_str(s, "department"));
		robot = json_object_get(s, "robot");
		table_add(t, json_is_object(robot) ? ctl_str(robot, "format") :
		    "-");
		retired = json_object_get(s, "retired_at");
		table_addf(t, "%.10s", json_is_string(retired) ?
		    json_string_value(retired) : "-");
	}
	table_print(t, stdout);
	table_free(t);
}

/* Adds a school. */
int
cmd_school_add(struct ctl *ctl, const struct args *a)
{
	json_t	*body, *s, *one;
	int	 rc;

	body = json_pack("{s:s, s:s}", "code", a->operand[0], "name",
	    a->operand[1]);
	if ((rc = call(ctl, "POST", "/v1/schools", body, &s)) != 0)
		return rc;
	if (!ctl->json) {
		one = json_pack("[O]", s);
		print_schools(one);
		json_decref(one);
	}
	json_decref(s);
	return 0;
}

/* Sends a school's changes: PATCH /v1/schools/CODE.  Returns 0 or rc. */
static int
school_patch(struct ctl *ctl, const char *code, json_t *body, int quiet)
{
	json_t	*s, *one;
	char	 path[128];
	int	 rc;

	snprintf(path, sizeof(path), "/v1/schools/%s", code);
	if ((rc = call(ctl, "PATCH", path, body, &s)) != 0)
		return rc;
	if (!ctl->json && !quiet) {
		one = json_pack("[O]", s);
		print_schools(one);
		json_decref(one);
	}
	json_decref(s);
	return 0;
}

/* Sets a school's name, department or robot, or removes its robot. */
int
cmd_school_set(struct ctl *ctl, const struct args *a)
{
	json_t		*body = NULL, *s;
	const char	*v, *name, *dept, *hook, *nohook;
	char		 path[128];
	int		 rc;

	name = args_get(a, "name");
	dept = args_get(a, "department");
	hook = args_get(a, "webhook");
	nohook = args_get(a, "no-webhook");
	if (name == NULL && dept == NULL && hook == NULL && nohook == NULL)
		return args_usage(a->cmd, _("give --name, --department, "
		    "--webhook or --no-webhook"));
	if (hook != NULL && nohook != NULL)
		return args_usage(a->cmd, _("give --webhook or --no-webhook, "
		    "not both"));
	if (hook == NULL && (args_get(a, "secret") != NULL ||
	    args_get(a, "format") != NULL))
		return args_usage(a->cmd, _("--secret and --format go with "
		    "--webhook"));
	if (name != NULL || dept != NULL) {
		body = json_object();
		if (name != NULL)
			json_object_set_new(body, "name", json_string(name));
		if (dept != NULL)
			json_object_set_new(body, "department",
			    json_string(dept));
		if ((rc = school_patch(ctl, a->operand[0], body,
		    hook != NULL || nohook != NULL)) != 0)
			return rc;
		body = NULL;
	}
	if (hook == NULL && nohook == NULL)
		return 0;
	snprintf(path, sizeof(path), "/v1/schools/%s/robot", a->operand[0]);
	if (nohook != NULL)
		rc = call(ctl, "DELETE", path, NULL, &s);
	else {
		body = json_pack("{s:s}", "url", args_get(a, "webhook"));
		if ((v = args_get(a, "secret")) != NULL)
			json_object_set_new(body, "secret", json_string(v));
		if ((v = args_get(a, "format")) != NULL)
			json_object_set_new(body, "format", json_string(v));
		rc = call(ctl, "PUT", path, body, &s);
	}
	if (rc != 0)
		return rc;
	if (!ctl->json)
		printf(json_is_null(json_object_get(s, "robot")) ?
		    _("%s: no robot\n") : _("%s: notices go to its robot\n"),
		    ctl_str(s, "code"));
	json_decref(s);
	return 0;
}

/* Retires a school, or brings it back with --undo. */
int
cmd_school_retire(struct ctl *ctl, const struct args *a)
{
	int	undo = args_get(a, "undo") != NULL;

	return school_patch(ctl, a->operand[0], json_pack("{s:b}", "retired",
	    !undo), 0);
}

/* Lists the categories: GET /v1/categories. */
int
cmd_categories(struct ctl *ctl, const struct args *a)
{
	static const char *const cols[] = { N_("CODE"), N_("CHINESE"),
	    N_("ENGLISH"), N_("DEPARTMENT") };
	struct table	*t;
	json_t		*list, *cats, *c;
	size_t		 i;
	int		 rc;

	(void)a;
	if ((rc = call(ctl, "GET", "/v1/categories", NULL, &list)) != 0)
		return rc;
	if (!ctl->json) {
		if (!json_is_array(cats = json_object_get(list,
		    "categories")))
			rc = ctl_unexpected(ctl, _("no \"categories\" list"));
		else {
			t = ctl_table(4, cols);
			json_array_foreach(cats, i, c) {
				table_add(t, ctl_str(c, "code"));
				table_add(t, ctl_str(c, "zh"));
				table_add(t, ctl_str(c, "en"));
				table_add(t, ctl_str(c, "department"));
			}
			table_print(t, stdout);
			table_free(t);
		}
	}
	json_decref(list);
	return rc;
}

/* Lists the schools. */
int
cmd_school_list(struct ctl *ctl, const struct args *a)
{
	json_t	*list, *schools;
	int	 rc;

	(void)a;
	if ((rc = call(ctl, "GET", "/v1/schools", NULL, &list)) != 0)
		return rc;
	if (!ctl->json) {
		if (!json_is_array(schools = json_object_get(list, "schools")))
			rc = ctl_unexpected(ctl, _("no \"schools\" list"));
		else
			print_schools(schools);
	}
	json_decref(list);
	return rc;
}

/* Prints tokens as a table; never their secrets. */
static void
print_tokens(const json_t *tokens)
{
	static const char *const cols[] = { N_("ID"), N_("NAME"), N_("ROLE"),
	    N_("SCHOOL"), N_("CREATED"), N_("REVOKED") };
	struct table	*t;
	const json_t	*tok;
	size_t		 i;
	char		 buf[64];

	t = ctl_table(6, cols);
	table_right(t, 0);
	json_array_foreach(tokens, i, tok) {
		table_add(t, ctl_text(json_object_get(tok, "id"), buf,
		    sizeof(buf)));
		table_add(t, ctl_str(tok, "name"));
		table_add(t, ctl_word(ctl_str(tok, "role")));
		table_add(t, ctl_str(tok, "school"));
		table_add(t, ctl_time(ctl_str(tok, "created_at"), buf,
		    sizeof(buf)));
		table_add(t, ctl_time(ctl_str(tok, "revoked_at"), buf,
		    sizeof(buf)));
	}
	table_print(t, stdout);
	table_free(t);
}

/*
 * Prints the link that signs in to the web page with secret: the
 * server's URL and the token in its fragment, which a browser never
 * sends (the page keeps it and takes it out of the address bar).
 */
static void
print_link(struct ctl *ctl, const char *secret)
{
	size_t	len = strlen(ctl->server);

	while (len > 0 && ctl->server[len - 1] == '/')
		len--;
	printf("%.*s/#token=%s\n", (int)len, ctl->server, secret);
	fprintf(stderr, _("Send this link to its holder alone: whoever opens "
	    "it is signed in with the token.\n"));
}

/* Creates a token and prints its secret alone, or its link. */
int
cmd_token_create(struct ctl *ctl, const struct args *a)
{
	json_t		*body, *tok;
	const char	*secret;
	int		 rc;

	body = args_object(a);
	json_object_set_new(body, "role", json_string(args_get(a, "office") !=
	    NULL ? WIRE_ROLE_OFFICE : WIRE_ROLE_SCHOOL));
	if ((rc = call(ctl, "POST", "/v1/tokens", body, &tok)) != 0)
		return rc;
	if (!ctl->json) {
		if ((secret = ctl_str(tok, "token")) == NULL)
			rc = ctl_unexpected(ctl, _("no \"token\""));
		else if (args_get(a, "link") != NULL)
			print_link(ctl, secret);
		else
			printf("%s\n", secret);
	}
	json_decref(tok);
	return rc;
}

/* Lists the tokens. */
int
cmd_token_list(struct ctl *ctl, const struct args *a)
{
	json_t	*list, *tokens;
	int	 rc;

	(void)a;
	if ((rc = call(ctl, "GET", "/v1/tokens", NULL, &list)) != 0)
		return rc;
	if (!ctl->json) {
		if (!json_is_array(tokens = json_object_get(list, "tokens")))
			rc = ctl_unexpected(ctl, _("no \"tokens\" list"));
		else
			print_tokens(tokens);
	}
	json_decref(list);
	return rc;
}

/* Revokes a token; prints it as token list does. */
int
cmd_token_revoke(struct ctl *ctl, const struct args *a)
{
	json_t		*tok, *one;
	long long	 id;
	char		 path[64];
	int		 rc;

	if ((rc = args_id(a, 0, &id)) != 0)
		return rc;
	snprintf(path, sizeof(path), "/v1/tokens/%lld", id);
	if ((rc = call(ctl, "DELETE", path, NULL, &tok)) != 0)
		return rc;
	if (!ctl->json) {
		one = json_pack("[O]", tok);
		print_tokens(one);
		json_decref(one);
	}
	json_decref(tok);
	return 0;
}
