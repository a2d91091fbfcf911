/*
 * Digests and notices to DingTalk and WeCom group robots: markdown
 * messages, split at the robots' size limits, at most 20 a minute per
 * robot, signed for
 * DingTalk when a secret is set, over HTTPS with the certificate
 * verified (or plain HTTP, for a robot on a private network).
 */
#ifndef HAZARDD_WEBHOOK_H
#define HAZARDD_WEBHOOK_H

#include <stddef.h>

#include <event2/event.h>
#include <jansson.h>

#include "config.h"

enum webhook_format {
	WEBHOOK_DINGTALK,
	WEBHOOK_WECOM
};

/* The most a robot takes in one message, in bytes of its text. */
#define WEBHOOK_DINGTALK_MAX	18000
#define WEBHOOK_WECOM_MAX	4000
/* Messages a minute a robot takes. */
#define WEBHOOK_PER_MINUTE	20

/*
 * A group robot: its URL, which carries its access token (never
 * logged); the secret its messages are signed with ("": none); its
 * format, "dingtalk", "wecom", or "" for the URL's host to tell.
 */
struct robot {
	const char	*url;
	const char	*secret;
	const char	*format;
};

/* The office's robot: [deliver] webhook, webhook_secret, webhook_format. */
void	webhook_office(const struct config *cfg, struct robot *r);

/*
 * The format of a robot: its format, else from the URL's host.  Returns
 * it, or -1 if it cannot be told.
 */
int	webhook_format_of(const struct robot *r);

/*
 * Whether a school's robot may be used: an https URL (plain http only
 * to loopback, for tests) whose format can be told.  Returns NULL, or
 * the reason it may not, for the office.
 */
const char *webhook_check(const struct robot *r);

/*
 * Splits text into parts of at most max bytes, at line ends where it
 * can and never inside a UTF-8 character.  Returns the number of parts
 * and an array of their start offsets (ends: the next start, or the
 * text's length), which the caller frees.
 */
size_t	webhook_split(const char *text, size_t max, size_t **starts);

/* The JSON message of one part.  Returns a new object. */
json_t	*webhook_message(enum webhook_format, const char *title,
	    const char *part, size_t len);

/*
 * DingTalk's signature of a timestamp (milliseconds): base64 of the
 * HMAC-SHA256, keyed by secret, of "TIMESTAMP\nSECRET".  Returns a new
 * string, or NULL.
 */
char	*webhook_sign(const char *secret, long long timestamp_ms);

/*
 * What a count of parts sent holds for: the hex SHA-256 of the format
 * and the URL of the configured robot and of the message (the same
 * message split for another format is cut elsewhere; another robot has
 * seen none of it; another message, made for other [deliver] robot_rows,
 * is cut elsewhere too).  Returns a new string, or NULL if the format
 * cannot be told.
 */
char	*webhook_robot_key(const struct robot *r, const char *markdown);

/*
 * Sends markdown (made safe by its maker: digest_robot.c) as messages,
 * from part first on; calls taken after each
 * part but the last that the robot takes, with the number of parts now
 * sent, and done once, with NULL or the reason it failed, and that
 * number.  Returns 0, or -1 with done not called (the reason logged).
 */
int	webhook_send(struct event_base *base, const struct robot *robot,
	    const char *title, const char *markdown, int first,
	    void (*taken)(void *arg, int sent),
	    void (*done)(void *arg, const char *error, int sent), void *arg);

/* Frees what the sender keeps (TLS context, DNS). */
void	webhook_shutdown(void);

#endif
