/* config-private.h - the table of configuration keys, shared by its two halves. */
#ifndef KITH_CONFIG_PRIVATE_H
#define KITH_CONFIG_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kith/config.h"

enum sect { SECT_KITH, SECT_ACCOUNT, SECT_NOTIFY, SECT_CIRCLE, SECT_GOAL, SECT_IGNORE, SECT_NONE };

struct config_sect {
	const char *name;
	bool named;		/* [account NAME]: the name is required */
};
extern const struct config_sect config_sects[SECT_NONE];

enum ktype {
	T_PATH, T_STRING, T_HOST, T_NAME, T_GLOBS, T_LIST, T_FOLDERS, T_DURATION,
	T_TIERS, T_STEPS, T_INT, T_PORT, T_BOOL, T_CLOCK, T_QUIET, T_TLS, T_AUTH, T_PASSWORD,
};

#define F_REQUIRED	0x1	/* an error when missing */
#define F_DEFDOC	0x2	/* pub.def describes a default computed in code */
#define F_READABLE	0x4	/* a path that must name a readable file */

struct ckey {
	struct config_key pub;
	enum sect sect;
	enum ktype type;
	unsigned flags;
	int64_t min, max;	/* T_INT, T_DURATION */
	size_t off;		/* into the section's struct (kith_config for unnamed sections) */
};

/* The table (config-keys.c); CONFIG_MAX_KEYS bounds its length at build time. */
#define CONFIG_MAX_KEYS 64
extern const struct ckey config_table[];
extern const size_t config_nkeys;

/* Store `val` for key k in the struct at base; 0, or -1 with *err (free it). */
int config_set_value(const struct ckey *k, void *base, const char *val, char **err);

/* Give every key of section kind s that has a default its default value. */
void config_apply_defaults(enum sect s, void *base);

bool config_has_space(const char *s);

#endif
