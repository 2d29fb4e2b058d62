/* capstone for dump --jited: loaded on first use in the dynamic build,
 * linked in the static one (cslib.h says why). */
#include <stdio.h>
#include "tools/dump/cslib.h"

#ifdef SNOOPBOX_CAPSTONE_LINKED

const struct cslib *cslib_get(const char **why)
{
	static const struct cslib direct = {
		.open = cs_open,
		.disasm = cs_disasm,
		.free = cs_free,
		.close = cs_close,
	};

	return &direct;
}

#else

#include <dlfcn.h>
#include <stdbool.h>
#include <string.h>

static char reason[512];

/* The first failure's message is kept: a later successful call may
 * clear it. */
static void *sym(void *h, const char *name, bool *ok)
{
	void *p = dlsym(h, name);

	if (!p && *ok) {
		snprintf(reason, sizeof(reason), "%s", dlerror());
		*ok = false;
	}
	return p;
}

/* The casts from void * are sound because POSIX guarantees dlsym's
 * result converts to a function pointer, which ISO C alone does not. */
static bool resolve(void *h, struct cslib *t)
{
	bool ok = true;

	t->open = (__typeof__(t->open))sym(h, "cs_open", &ok);
	t->disasm = (__typeof__(t->disasm))sym(h, "cs_disasm", &ok);
	t->free = (__typeof__(t->free))sym(h, "cs_free", &ok);
	t->close = (__typeof__(t->close))sym(h, "cs_close", &ok);
	return ok;
}

/* The unversioned name is a fallback for installs without the soname; it
 * may be any capstone, and another major version lays out cs_insn
 * differently, so it must say it is ours before we use it. */
static bool same_major(void *h, int *major, int *minor)
{
	__typeof__(cs_version) *version = (__typeof__(&cs_version))dlsym(h, "cs_version");

	*major = *minor = -1;
	if (version)
		version(major, minor);
	return *major == CS_API_MAJOR;
}

static const struct cslib *load(void)
{
	static struct cslib lib;
	void *h = dlopen("libcapstone.so.4", RTLD_NOW | RTLD_LOCAL);
	int major, minor;

	if (!h) {
		/* Keep this first error: it is about the library we want, and
		 * is the one to show if the fallback is absent too. */
		snprintf(reason, sizeof(reason), "%s", dlerror());
		h = dlopen("libcapstone.so", RTLD_NOW | RTLD_LOCAL);
		if (!h)
			return NULL;
		if (!same_major(h, &major, &minor)) {
			snprintf(reason + strlen(reason), sizeof(reason) - strlen(reason),
				 "; libcapstone.so is capstone %d.%d, not %d", major, minor,
				 CS_API_MAJOR);
			dlclose(h);
			return NULL;
		}
	}
	if (!resolve(h, &lib)) {
		dlclose(h);
		return NULL;
	}
	/* Never closed: the process ends soon after dump is done with it. */
	return &lib;
}

const struct cslib *cslib_get(const char **why)
{
	static const struct cslib *lib;
	static bool tried;

	if (!tried) {
		tried = true;
		lib = load();
	}
	if (!lib)
		*why = reason;
	return lib;
}

#endif
