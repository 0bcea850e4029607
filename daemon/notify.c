/* notify.c - the daily desktop nudge, in a thread of its own beside sync. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <glib.h>
#include <gio/gio.h>
#include <libnotify/notify.h>

#include "kith/config.h"
#include "kith/log.h"
#include "kith/people.h"
#include "kith/store.h"
#include "kith/util.h"
#include "notify.h"
#include "notify-private.h"

/* A freedesktop icon name every icon theme carries. */
#define NUDGE_ICON	"x-office-address-book"

/* A nudge on screen, kept alive so that its action callbacks can fire. */
struct nudge {
	struct notifier *n;
	NotifyNotification *nn;
	struct candidate c;
	bool acted;
};

struct notifier {
	pthread_t thread;
	GMainContext *ctx;
	GMainLoop *loop;
	char *db_path;

	pthread_mutex_t lock;
	struct kith_config *new_cfg;	/* under lock: handed over by notifier_reload */
	atomic_bool poke_pending;

	/* Owned by the notifier thread. */
	struct kith_config *cfg;
	struct store *st;
	GList *nudges;			/* struct nudge *, on screen */
	bool libnotify_up;
	bool told_no_session;
	char *failed_slot;		/* digest that failed: warn once per day */
};

/* --- actions ------------------------------------------------------------ */

static int64_t
current_id(struct notifier *n, const struct candidate *c, int64_t now)
{
	struct person_list cands = { 0 };
	int64_t id = c->person_id;

	/* Ids may change with a rebuild or a merge; the address does not. */
	if (!c->email || people_resolve(n->st, c->email, now, &id, &cands) != RESOLVE_OK)
		id = c->person_id;
	person_list_free(&cands);
	return id;
}

static void
open_mailto(const struct candidate *c)
{
	char *addr = g_uri_escape_string(c->email, "@", FALSE);
	char *uri;
	GError *err = NULL;

	if (c->subject && *c->subject) {
		char *re = str_has_prefix(c->subject, "Re:") || str_has_prefix(c->subject, "RE:")
			? xstrdup(c->subject) : xasprintf("Re: %s", c->subject);
		char *subj = g_uri_escape_string(re, NULL, FALSE);

		uri = xasprintf("mailto:%s?subject=%s", addr, subj);
		g_free(subj);
		free(re);
	} else {
		uri = xasprintf("mailto:%s", addr);
	}
	/*
	 * Under systemd the mail client would inherit kithd's sandbox (a
	 * read-only home, no W^X memory for JITs): have the user manager
	 * start it instead.
	 */
	char *plain[] = { "xdg-open", uri, NULL };
	char *scoped[] = { "systemd-run", "--user", "--collect", "--quiet", "--", "xdg-open", uri, NULL };
	char *run = NULL;
	char **argv = plain;

	if (getenv("INVOCATION_ID") && (run = g_find_program_in_path("systemd-run")))
		argv = scoped;
	/* Spawned and left alone: GLib reaps it; a mail client may run for hours. */
	if (!g_spawn_async(NULL, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
			   NULL, NULL, NULL, &err)) {
		log_warnx("notify: cannot run '%s %s': %s", argv[0], uri, err->message);
		g_error_free(err);
	}
	g_free(run);
	g_free(addr);
	free(uri);
}

static void
on_action(NotifyNotification *nn, char *action, gpointer data)
{
	struct nudge *g = data;
	struct notifier *n = g->n;
	int64_t now = kith_now();
	int64_t id = current_id(n, &g->c, now);
	int rc = 0;

	g->acted = true;
	if (strcmp(action, "write") == 0) {
		open_mailto(&g->c);
	} else if (strcmp(action, "snooze") == 0) {
		rc = people_snooze(n->st, id, now + NOTIFY_SNOOZE_SECS);
	} else if (strcmp(action, "done") == 0) {
		/*
		 * "message": the user says they reconnected, and the nudge
		 * asked them to write.  Mail kith reads arrives through sync;
		 * what Done records is the message sent some other way (a chat,
		 * a text, a social network) that kith cannot see.
		 */
		rc = people_log(n->st, id, now, "message", "marked done from a desktop nudge");
	} else {
		log_warnx("notify: unknown action '%s' for '%s'", action, g->c.name);
		return;
	}
	if (rc != 0) {
		log_warnx("notify: cannot record '%s' for '%s'", action, g->c.name);
		return;
	}
	digest_record_action(n->st, &g->c, action, now);
	log_info("nudge for '%s': %s", g->c.name, action);
}

static void
nudge_free(struct nudge *g)
{
	g_signal_handlers_disconnect_by_data(g->nn, g);
	g_object_unref(g->nn);
	candidate_free(&g->c);
	free(g);
}

static void
on_closed(NotifyNotification *nn, gpointer data)
{
	struct nudge *g = data;
	struct notifier *n = g->n;

	/* Reason 2 is the user closing it; after an action it means nothing. */
	if (notify_notification_get_closed_reason(nn) == NOTIFY_CLOSED_REASON_DISMISSED && !g->acted) {
		int64_t now = kith_now();

		if (people_dismiss(n->st, current_id(n, &g->c, now), now) == 0) {
			digest_record_action(n->st, &g->c, "dismissed", now);
			log_info("nudge for '%s': dismissed", g->c.name);
		} else {
			log_warnx("notify: cannot record the dismissal of '%s'", g->c.name);
		}
	}
	n->nudges = g_list_remove(n->nudges, g);
	nudge_free(g);
}

/* --- showing ------------------------------------------------------------ */

/*
 * Is there a session bus to talk to?  Without DBUS_SESSION_BUS_ADDRESS
 * GDBus would try $XDG_RUNTIME_DIR/bus and then autolaunch a private bus
 * through X11, which leaves processes behind; only the first two are
 * a desktop session.
 */
static bool
session_bus_present(void)
{
	const char *addr = getenv("DBUS_SESSION_BUS_ADDRESS");
	const char *rt = getenv("XDG_RUNTIME_DIR");
	struct stat sb;
	char *path;
	bool ok;

	if (addr && *addr)
		return true;
	if (!rt || !*rt)
		return false;
	path = xasprintf("%s/bus", rt);
	ok = stat(path, &sb) == 0 && S_ISSOCK(sb.st_mode);
	free(path);
	return ok;
}

/* Connect libnotify; false (and a reason in *why) when there is no desktop. */
static bool
desktop_up(struct notifier *n, char **why)
{
	GDBusConnection *bus;
	GError *err = NULL;

	if (!session_bus_present()) {
		*why = xstrdup("no session bus (DBUS_SESSION_BUS_ADDRESS unset, no $XDG_RUNTIME_DIR/bus)");
		return false;
	}
	bus = g_bus_get_sync(G_BUS_TYPE_SESSION, NULL, &err);
	if (!bus) {
		*why = xstrdup(err->message);
		g_error_free(err);
		return false;
	}
	/* GLib would raise SIGTERM when the session bus goes away. */
	g_dbus_connection_set_exit_on_close(bus, FALSE);
	if (g_dbus_connection_is_closed(bus)) {
		g_object_unref(bus);
		*why = xstrdup("the session bus connection was closed");
		return false;
	}
	g_object_unref(bus);
	if (!n->libnotify_up) {
		notify_init("kith");
		n->libnotify_up = true;
	}
	return true;
}

/* Forget the notifications on screen and libnotify's cached server proxy. */
static void
desktop_down(struct notifier *n)
{
	GList *l;

	for (l = n->nudges; l; l = l->next)
		nudge_free(l->data);
	g_list_free(n->nudges);
	n->nudges = NULL;
	if (n->libnotify_up)
		notify_uninit();
	n->libnotify_up = false;
}

static int
show(struct notifier *n, struct candidate *c, char **why)
{
	struct nudge *g = xcalloc(1, sizeof(*g));
	GError *err = NULL;

	g->n = n;
	g->c = *c;
	g->nn = notify_notification_new(c->summary, c->body, NUDGE_ICON);
	notify_notification_set_app_name(g->nn, "kith");
	notify_notification_set_urgency(g->nn, NOTIFY_URGENCY_LOW);
	notify_notification_set_category(g->nn, "presence");
	if (g->c.email)
		notify_notification_add_action(g->nn, "write", "Write", on_action, g, NULL);
	if (strcmp(c->kind, "due") == 0)
		notify_notification_add_action(g->nn, "snooze", "Snooze 2 weeks", on_action, g, NULL);
	notify_notification_add_action(g->nn, "done", "Done", on_action, g, NULL);
	g_signal_connect(g->nn, "closed", G_CALLBACK(on_closed), g);
	if (!notify_notification_show(g->nn, &err)) {
		*why = xstrdup(err->message);
		g_error_free(err);
		memset(&g->c, 0, sizeof(g->c));	/* still the caller's */
		nudge_free(g);
		return -1;
	}
	n->nudges = g_list_prepend(n->nudges, g);
	memset(c, 0, sizeof(*c));		/* now the nudge's */
	return 0;
}

static void
log_nudge(const struct candidate *c)
{
	log_notice("nudge: %s <%s>: %s", c->summary, c->email ? c->email : "no address", c->body);
}

static int
run_digest(struct notifier *n, int64_t now)
{
	struct candidate *cs;
	char *why = NULL;
	bool desktop;
	int count, room, k, i;

	if (digest_shown_today(n->st, now, &count) == -1)
		return -1;
	room = n->cfg->notify.max_per_day - count;
	if (room <= 0) {
		log_debug("notify: %d nudges shown today already", count);
		return 0;
	}
	cs = xcalloc((size_t)room, sizeof(*cs));
	k = digest_choose(n->st, now, room, cs);
	if (k < 0) {
		free(cs);
		return -1;
	}
	desktop = k > 0 && desktop_up(n, &why);
	if (k > 0 && !desktop && !n->told_no_session) {
		log_info("no desktop session: nudges are logged (%s)", why);
		n->told_no_session = true;
	}
	for (i = 0; i < k; i++) {
		struct candidate c = cs[i];
		const char *channel = "log", *recorded = desktop ? "desktop" : "log";

		/*
		 * Recorded before it is shown: a record that fails (a database
		 * busy past the timeout) must keep the nudge from being shown,
		 * or the next check would show it again.  The rest waits for
		 * that check.
		 */
		if (digest_record_shown(n->st, &c, now, recorded) == -1) {
			for (; i < k; i++)
				candidate_free(&cs[i]);
			free(why);
			free(cs);
			return -1;
		}
		if (desktop) {
			free(why);
			why = NULL;
			if (show(n, &cs[i], &why) == 0) {
				channel = "desktop";
				n->told_no_session = false;
			} else {
				/* One failure (a hung server costs 25 s) is enough for today. */
				log_warnx("notify: cannot show a notification, nudges are logged: %s", why);
				desktop = false;
				desktop_down(n);
			}
		}
		if (strcmp(channel, "log") == 0)
			log_nudge(&c);
		else
			log_info("nudge shown: %s", c.summary);
		/* Logged after all: the channel is corrected, or at worst left as it was. */
		if (strcmp(channel, recorded) != 0)
			digest_record_shown(n->st, &c, now, channel);
		candidate_free(&cs[i]);		/* emptied when a nudge took it */
	}
	free(why);
	free(cs);
	return 0;
}

/* --- the thread --------------------------------------------------------- */

static void
apply_reload(struct notifier *n)
{
	struct kith_config *cfg;

	pthread_mutex_lock(&n->lock);
	cfg = n->new_cfg;
	n->new_cfg = NULL;
	pthread_mutex_unlock(&n->lock);
	if (!cfg)
		return;
	if (n->st)
		store_set_config(n->st, cfg);
	config_free(n->cfg);
	n->cfg = cfg;
	log_debug("notify: configuration reloaded");
}

static void
digest_check(struct notifier *n)
{
	char slot[16];
	char *last;
	int64_t now;
	bool done;

	apply_reload(n);
	if (!n->st || !n->cfg->notify.enabled)
		return;
	now = kith_now();
	notify_digest_slot(now, n->cfg->notify.digest_time, slot, sizeof(slot));
	last = store_meta_get(n->st, META_NOTIFY_LAST_DIGEST);
	done = last && strcmp(last, slot) >= 0;
	free(last);
	if (done)
		return;
	if (notify_quiet(n->cfg, now)) {
		log_debug("notify: digest of %s waits for the end of quiet hours", slot);
		return;
	}
	if (run_digest(n, now) == -1) {
		/* Retried at the next check; said once a day. */
		if (!n->failed_slot || strcmp(n->failed_slot, slot) != 0)
			log_warnx("notify: the digest of %s failed, will retry", slot);
		free(n->failed_slot);
		n->failed_slot = xstrdup(slot);
		return;
	}
	store_meta_set(n->st, META_NOTIFY_LAST_DIGEST, slot);
}

static gboolean
on_poke(gpointer data)
{
	struct notifier *n = data;

	atomic_store(&n->poke_pending, false);
	digest_check(n);
	return G_SOURCE_REMOVE;
}

static gboolean
on_timer(gpointer data)
{
	digest_check(data);
	return G_SOURCE_CONTINUE;
}

static gboolean
on_quit(gpointer data)
{
	g_main_loop_quit(((struct notifier *)data)->loop);
	return G_SOURCE_REMOVE;
}

static void
attach(struct notifier *n, GSourceFunc fn, unsigned secs)
{
	GSource *s = secs ? g_timeout_source_new_seconds(secs) : g_idle_source_new();

	g_source_set_callback(s, fn, n, NULL);
	g_source_attach(s, n->ctx);
	g_source_unref(s);
}

/* GDBus frees a proxy's signal subscriptions from an idle callback: run it. */
static void
drain(struct notifier *n)
{
	int i;

	for (i = 0; i < 100 && g_main_context_iteration(n->ctx, FALSE); i++)
		;
}

static void *
notifier_main(void *arg)
{
	struct notifier *n = arg;

	/* libnotify's proxy delivers its signals to the thread-default context. */
	g_main_context_push_thread_default(n->ctx);
	if (store_open(n->db_path, STORE_WRITE, n->cfg, &n->st) != STORE_OK) {
		log_warnx("notify: no nudges: cannot open '%s'", n->db_path);
		n->st = NULL;
	}
	attach(n, on_timer, NOTIFY_CHECK_SECS);
	g_main_loop_run(n->loop);
	desktop_down(n);
	drain(n);
	store_close(n->st);
	n->st = NULL;
	g_main_context_pop_thread_default(n->ctx);
	return NULL;
}

static struct kith_config *
load_config(const struct kith_config *cfg)
{
	struct kith_config *copy = NULL;
	struct strbuf errors = { 0 };

	if (config_load(cfg->path, &copy, &errors) == -1) {
		log_warnx("notify: cannot read '%s' again: %s", cfg->path ? cfg->path : "(defaults)",
			  errors.buf ? errors.buf : "");
		copy = NULL;
	}
	sb_free(&errors);
	return copy;
}

static struct notifier *
notifier_new(const struct kith_config *cfg, const char *db_path)
{
	struct notifier *n = xcalloc(1, sizeof(*n));

	n->cfg = load_config(cfg);
	if (!n->cfg) {
		free(n);
		return NULL;
	}
	n->db_path = xstrdup(db_path);
	pthread_mutex_init(&n->lock, NULL);
	n->ctx = g_main_context_new();
	n->loop = g_main_loop_new(n->ctx, FALSE);
	atomic_init(&n->poke_pending, false);
	return n;
}

static void
notifier_free(struct notifier *n)
{
	g_main_loop_unref(n->loop);
	g_main_context_unref(n->ctx);
	config_free(n->cfg);
	if (n->new_cfg)
		config_free(n->new_cfg);
	pthread_mutex_destroy(&n->lock);
	free(n->failed_slot);
	free(n->db_path);
	free(n);
}

struct notifier *
notifier_start(const struct kith_config *cfg, const char *db_path)
{
	struct notifier *n = notifier_new(cfg, db_path);
	int err;

	if (!n)
		return NULL;
	notifier_poke(n);		/* a digest missed while kithd was down */
	if ((err = pthread_create(&n->thread, NULL, notifier_main, n)) != 0) {
		errno = err;
		log_warn("notify: cannot start the notifier thread");
		notifier_free(n);
		return NULL;
	}
	return n;
}

int
notifier_once(const struct kith_config *cfg, const char *db_path)
{
	struct notifier *n = notifier_new(cfg, db_path);
	int rc = -1;

	if (!n)
		return -1;
	g_main_context_push_thread_default(n->ctx);
	if (store_open(n->db_path, STORE_WRITE, n->cfg, &n->st) == STORE_OK) {
		digest_check(n);
		rc = 0;
	}
	desktop_down(n);
	drain(n);
	store_close(n->st);
	g_main_context_pop_thread_default(n->ctx);
	notifier_free(n);
	return rc;
}

void
notifier_reload(struct notifier *n, const struct kith_config *cfg)
{
	struct kith_config *copy;

	if (!n || !(copy = load_config(cfg)))
		return;
	pthread_mutex_lock(&n->lock);
	if (n->new_cfg)
		config_free(n->new_cfg);
	n->new_cfg = copy;
	pthread_mutex_unlock(&n->lock);
	notifier_poke(n);
}

void
notifier_poke(struct notifier *n)
{
	if (!n || atomic_exchange(&n->poke_pending, true))
		return;
	attach(n, on_poke, 0);
}

void
notifier_stop(struct notifier *n)
{
	struct timespec deadline;
	int err;

	if (!n)
		return;
	attach(n, on_quit, 0);
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += NOTIFY_STOP_WAIT_SECS;
	err = pthread_timedjoin_np(n->thread, NULL, &deadline);
	if (err != 0) {
		/* Stuck in a call to a hung server: exit must not wait 25 s. */
		log_warnx("notify: the notification server does not answer; not waiting for it");
		pthread_detach(n->thread);
		return;
	}
	notifier_free(n);
}
