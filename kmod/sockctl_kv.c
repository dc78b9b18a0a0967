// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sockctl_kv: a small control plane on netfilter socket options.
 *
 * Registers IPv4 socket options with nf_register_sockopt(), the way
 * ip_tables and IPVS do, and answers them with a message store and a
 * versioned key/value protocol (include/sockctl_kv.h describes the wire
 * format). Written as a template for a real control plane:
 *
 *  - every length comes from the caller and is checked against what the
 *    request needs before a byte is copied; requests are copied whole into
 *    kernel memory of a fixed size, never sized by the caller;
 *  - reserved fields and flags must be zero, so they can be given meaning
 *    later without breaking old callers;
 *  - replies are built in zeroed memory, so no kernel bytes leak through
 *    padding or unused array tails;
 *  - set requests need CAP_NET_ADMIN in the socket's network namespace;
 *  - state is per network namespace (pernet_operations) and guarded by a
 *    mutex, so concurrent callers see each request applied whole.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mroute.h>
#include <linux/mutex.h>
#include <linux/netfilter.h>
#include <linux/slab.h>
#include <linux/sockptr.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/sock.h>

#include "sockctl_kv.h"

static int base = SOCKCTL_KV_BASE_DEFAULT;
module_param(base, int, 0444);
MODULE_PARM_DESC(base, "first socket option number (default 128)");

struct kv_entry {
	struct list_head list;
	struct sockctl_kv_record rec;
};

struct kv_net {
	struct mutex lock;
	struct list_head entries;	/* kept in key order */
	unsigned int count;
	unsigned int msg_len;
	u8 msg[SOCKCTL_KV_MSG_MAX];
};

static unsigned int kv_net_id __read_mostly;

static struct kv_net *kv_net(const struct sock *sk)
{
	return net_generic(sock_net(sk), kv_net_id);
}

/* Keys order as bytes, a prefix before the longer key. */
static int kv_key_cmp(const u8 *a, unsigned int alen, const u8 *b, unsigned int blen)
{
	int cmp = memcmp(a, b, min(alen, blen));

	if (cmp)
		return cmp;
	return alen < blen ? -1 : alen > blen;
}

/* A key of 1..KEY_MAX bytes (0 too where EMPTY_OK) with a zeroed tail. */
static bool kv_key_valid(const u8 *key, unsigned int len, bool empty_ok)
{
	if (len > SOCKCTL_KV_KEY_MAX || (!len && !empty_ok))
		return false;
	return !memchr_inv(key + len, 0, SOCKCTL_KV_KEY_MAX - len);
}

static bool kv_record_valid(const struct sockctl_kv_record *rec)
{
	if (!kv_key_valid(rec->key, rec->key_len, false))
		return false;
	if (rec->value_len > SOCKCTL_KV_VALUE_MAX)
		return false;
	return !memchr_inv(rec->value + rec->value_len, 0,
			   SOCKCTL_KV_VALUE_MAX - rec->value_len);
}

/*
 * The first entry whose key is not below KEY (NULL if none); *found says
 * whether it is KEY itself. Called with the namespace's lock held.
 */
static struct kv_entry *kv_seek(struct kv_net *kn, const u8 *key, unsigned int len,
				bool *found)
{
	struct kv_entry *e;

	list_for_each_entry(e, &kn->entries, list) {
		int cmp = kv_key_cmp(e->rec.key, e->rec.key_len, key, len);

		if (cmp >= 0) {
			*found = cmp == 0;
			return e;
		}
	}
	*found = false;
	return NULL;
}

/* ---- set requests ---- */

static int kv_put(struct kv_net *kn, const struct sockctl_kv_put *put)
{
	const struct sockctl_kv_record *rec = &put->record;
	u32 flags = put->flags;
	struct kv_entry *e, *fresh;
	bool found;
	int err = 0;

	if (flags & ~SOCKCTL_KV_PUT_FLAGS)
		return -EINVAL;
	if ((flags & SOCKCTL_KV_PUT_CREATE) && (flags & ~SOCKCTL_KV_PUT_CREATE))
		return -EINVAL;
	if (!(flags & SOCKCTL_KV_PUT_MATCH) && rec->revision)
		return -EINVAL;
	if (!kv_record_valid(rec))
		return -EINVAL;

	/* Allocated before locking; freed below when the key exists. */
	fresh = kzalloc(sizeof(*fresh), GFP_KERNEL);
	if (!fresh)
		return -ENOMEM;

	mutex_lock(&kn->lock);
	e = kv_seek(kn, rec->key, rec->key_len, &found);
	if (found) {
		if (flags & SOCKCTL_KV_PUT_CREATE) {
			err = -EEXIST;
		} else if ((flags & SOCKCTL_KV_PUT_MATCH) && e->rec.revision != rec->revision) {
			err = -EAGAIN;
		} else {
			memcpy(e->rec.value, rec->value, SOCKCTL_KV_VALUE_MAX);
			e->rec.value_len = rec->value_len;
			/* Zero is never a revision: it means "unconditional" in a PUT. */
			e->rec.revision = e->rec.revision + 1 ? e->rec.revision + 1 : 1;
		}
	} else if (flags & (SOCKCTL_KV_PUT_REPLACE | SOCKCTL_KV_PUT_MATCH)) {
		err = -ENOENT;
	} else if (kn->count >= SOCKCTL_KV_MAX_RECORDS) {
		err = -ENOSPC;
	} else {
		fresh->rec = *rec;
		fresh->rec.revision = 1;
		/* Before E, or at the end when every key is smaller. */
		list_add_tail(&fresh->list, e ? &e->list : &kn->entries);
		kn->count++;
		fresh = NULL;
	}
	mutex_unlock(&kn->lock);
	kfree(fresh);
	return err;
}

static int kv_del(struct kv_net *kn, const struct sockctl_kv_key *key)
{
	struct kv_entry *e;
	bool found;

	if (key->reserved || !kv_key_valid(key->key, key->key_len, false))
		return -EINVAL;
	mutex_lock(&kn->lock);
	e = kv_seek(kn, key->key, key->key_len, &found);
	if (found) {
		list_del(&e->list);
		kn->count--;
	}
	mutex_unlock(&kn->lock);
	if (!found)
		return -ENOENT;
	kfree(e);
	return 0;
}

static void kv_flush(struct kv_net *kn)
{
	struct kv_entry *e, *next;

	list_for_each_entry_safe(e, next, &kn->entries, list) {
		list_del(&e->list);
		kfree(e);
	}
	kn->count = 0;
}

static int kv_check_hdr(const struct sockctl_kv_hdr *hdr, size_t room)
{
	if (hdr->version != SOCKCTL_KV_VERSION)
		return -EPROTONOSUPPORT;
	if (hdr->length > room)
		return -EINVAL;
	return 0;
}

static int kv_set_ctl(struct kv_net *kn, sockptr_t arg, unsigned int len)
{
	struct sockctl_kv_hdr hdr;
	union {
		struct sockctl_kv_put put;
		struct sockctl_kv_key key;
	} req;
	size_t need;
	int err;

	if (len < sizeof(hdr))
		return -EINVAL;
	if (copy_from_sockptr(&hdr, arg, sizeof(hdr)))
		return -EFAULT;
	err = kv_check_hdr(&hdr, len - sizeof(hdr));
	if (err)
		return err;
	if (hdr.length != len - sizeof(hdr))
		return -EINVAL;	/* the option length frames the request exactly */

	switch (hdr.command) {
	case SOCKCTL_KV_CMD_PUT:
		need = sizeof(req.put);
		break;
	case SOCKCTL_KV_CMD_DEL:
		need = sizeof(req.key);
		break;
	case SOCKCTL_KV_CMD_FLUSH:
		need = 0;
		break;
	default:
		return -EOPNOTSUPP;
	}
	if (hdr.length != need)
		return -EINVAL;
	if (need && copy_from_sockptr_offset(&req, arg, sizeof(hdr), need))
		return -EFAULT;

	switch (hdr.command) {
	case SOCKCTL_KV_CMD_PUT:
		return kv_put(kn, &req.put);
	case SOCKCTL_KV_CMD_DEL:
		return kv_del(kn, &req.key);
	}
	mutex_lock(&kn->lock);
	kv_flush(kn);
	mutex_unlock(&kn->lock);
	return 0;
}

static int kv_set_msg(struct kv_net *kn, sockptr_t arg, unsigned int len)
{
	u8 msg[SOCKCTL_KV_MSG_MAX];

	/* Exactly LEN bytes are the caller's: never copy a fixed size. */
	if (len > sizeof(msg))
		return -EINVAL;
	if (copy_from_sockptr(msg, arg, len))
		return -EFAULT;
	mutex_lock(&kn->lock);
	memcpy(kn->msg, msg, len);
	kn->msg_len = len;
	mutex_unlock(&kn->lock);
	return 0;
}

static int kv_set(struct sock *sk, int optval, sockptr_t arg, unsigned int len)
{
	if (!ns_capable(sock_net(sk)->user_ns, CAP_NET_ADMIN))
		return -EPERM;
	switch (optval - base) {
	case SOCKCTL_KV_SO_MSG:
		return kv_set_msg(kv_net(sk), arg, len);
	case SOCKCTL_KV_SO_CTL:
		return kv_set_ctl(kv_net(sk), arg, len);
	}
	return -ENOPROTOOPT;
}

/* ---- get requests ---- */

struct kv_info_reply {
	struct sockctl_kv_hdr hdr;
	struct sockctl_kv_info info;
};

struct kv_record_reply {
	struct sockctl_kv_hdr hdr;
	struct sockctl_kv_record rec;
};

struct kv_list_reply {
	struct sockctl_kv_hdr hdr;
	struct sockctl_kv_list list;
};

static int kv_reply(void __user *user, int *len, void *reply, size_t size)
{
	struct sockctl_kv_hdr *hdr = reply;

	hdr->version = SOCKCTL_KV_VERSION;
	hdr->length = size - sizeof(*hdr);
	if (copy_to_user(user, reply, size))
		return -EFAULT;
	*len = size;
	return 0;
}

static int kv_info(struct kv_net *kn, void __user *user, int *len)
{
	struct kv_info_reply r;

	if (*len < sizeof(r))
		return -ERANGE;
	memset(&r, 0, sizeof(r));
	r.hdr.command = SOCKCTL_KV_CMD_INFO;
	r.info.version = SOCKCTL_KV_VERSION;
	r.info.base = base;
	r.info.max_records = SOCKCTL_KV_MAX_RECORDS;
	r.info.key_max = SOCKCTL_KV_KEY_MAX;
	r.info.value_max = SOCKCTL_KV_VALUE_MAX;
	r.info.msg_max = SOCKCTL_KV_MSG_MAX;
	mutex_lock(&kn->lock);
	r.info.records = kn->count;
	r.info.msg_len = kn->msg_len;
	mutex_unlock(&kn->lock);
	return kv_reply(user, len, &r, sizeof(r));
}

static int kv_get_record(struct kv_net *kn, const struct sockctl_kv_key *key,
			 void __user *user, int *len)
{
	struct kv_record_reply r;
	struct kv_entry *e;
	bool found;

	if (key->reserved || !kv_key_valid(key->key, key->key_len, false))
		return -EINVAL;
	if (*len < sizeof(r))
		return -ERANGE;
	memset(&r, 0, sizeof(r));
	r.hdr.command = SOCKCTL_KV_CMD_GET;
	mutex_lock(&kn->lock);
	e = kv_seek(kn, key->key, key->key_len, &found);
	if (found)
		r.rec = e->rec;
	mutex_unlock(&kn->lock);
	if (!found)
		return -ENOENT;
	return kv_reply(user, len, &r, sizeof(r));
}

static int kv_list(struct kv_net *kn, const struct sockctl_kv_list_req *req,
		   void __user *user, int *len)
{
	const struct sockctl_kv_key *start = &req->start;
	unsigned int max = min_t(u32, req->max, SOCKCTL_KV_MAX_RECORDS);
	size_t size = sizeof(struct kv_list_reply) + max * sizeof(struct sockctl_kv_record);
	struct kv_list_reply *r;
	struct kv_entry *e;
	unsigned int n = 0;
	int err;

	if (start->reserved || !kv_key_valid(start->key, start->key_len, true))
		return -EINVAL;
	/* Room for MAX records is checked before anything is allocated. */
	if (*len < size)
		return -ERANGE;
	r = kvzalloc(size, GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	r->hdr.command = SOCKCTL_KV_CMD_LIST;
	mutex_lock(&kn->lock);
	list_for_each_entry(e, &kn->entries, list) {
		if (n == max)
			break;
		if (start->key_len &&
		    kv_key_cmp(e->rec.key, e->rec.key_len, start->key, start->key_len) <= 0)
			continue;
		r->list.records[n++] = e->rec;
	}
	r->list.total = kn->count;
	mutex_unlock(&kn->lock);
	r->list.count = n;
	err = kv_reply(user, len, r, sizeof(*r) + n * sizeof(struct sockctl_kv_record));
	kvfree(r);
	return err;
}

static int kv_get_ctl(struct kv_net *kn, void __user *user, int *len)
{
	struct sockctl_kv_hdr hdr;
	union {
		struct sockctl_kv_key key;
		struct sockctl_kv_list_req list;
	} req;
	size_t need;
	int err;

	if (*len < (int)sizeof(hdr))
		return -EINVAL;
	if (copy_from_user(&hdr, user, sizeof(hdr)))
		return -EFAULT;
	err = kv_check_hdr(&hdr, *len - sizeof(hdr));
	if (err)
		return err;

	switch (hdr.command) {
	case SOCKCTL_KV_CMD_INFO:
		need = 0;
		break;
	case SOCKCTL_KV_CMD_GET:
		need = sizeof(req.key);
		break;
	case SOCKCTL_KV_CMD_LIST:
		need = sizeof(req.list);
		break;
	default:
		return -EOPNOTSUPP;
	}
	if (hdr.length != need)
		return -EINVAL;
	if (need && copy_from_user(&req, user + sizeof(hdr), need))
		return -EFAULT;

	switch (hdr.command) {
	case SOCKCTL_KV_CMD_GET:
		return kv_get_record(kn, &req.key, user, len);
	case SOCKCTL_KV_CMD_LIST:
		return kv_list(kn, &req.list, user, len);
	}
	return kv_info(kn, user, len);
}

static int kv_get_msg(struct kv_net *kn, void __user *user, int *len)
{
	u8 msg[SOCKCTL_KV_MSG_MAX];
	unsigned int n;

	mutex_lock(&kn->lock);
	n = kn->msg_len;
	memcpy(msg, kn->msg, n);
	mutex_unlock(&kn->lock);
	if (*len < n)
		return -ERANGE;
	if (copy_to_user(user, msg, n))
		return -EFAULT;
	*len = n;
	return 0;
}

static int kv_get(struct sock *sk, int optval, void __user *user, int *len)
{
	/* ip_getsockopt hands over the caller's length unchecked. */
	if (*len < 0)
		return -EINVAL;
	switch (optval - base) {
	case SOCKCTL_KV_SO_MSG:
		return kv_get_msg(kv_net(sk), user, len);
	case SOCKCTL_KV_SO_CTL:
		return kv_get_ctl(kv_net(sk), user, len);
	}
	return -ENOPROTOOPT;
}

static struct nf_sockopt_ops kv_sockopts = {
	.pf = PF_INET,
	.set = kv_set,
	.get = kv_get,
	.owner = THIS_MODULE,
};

/* ---- per-namespace state and module life ---- */

static int __net_init kv_net_init(struct net *net)
{
	struct kv_net *kn = net_generic(net, kv_net_id);

	mutex_init(&kn->lock);
	INIT_LIST_HEAD(&kn->entries);
	return 0;
}

static void __net_exit kv_net_exit(struct net *net)
{
	kv_flush(net_generic(net, kv_net_id));
}

static struct pernet_operations kv_net_ops = {
	.init = kv_net_init,
	.exit = kv_net_exit,
	.id = &kv_net_id,
	.size = sizeof(struct kv_net),
};

static bool kv_base_valid(int first)
{
	int opt;

	/* Below 64 are the IP layer's own options, which never reach netfilter. */
	if (first < 64 || first > INT_MAX - SOCKCTL_KV_SO_COUNT)
		return false;
	for (opt = first; opt < first + SOCKCTL_KV_SO_COUNT; opt++)
		if (ip_mroute_opt(opt))	/* taken by the multicast router */
			return false;
	return true;
}

static int __init kv_init(void)
{
	int err;

	if (!kv_base_valid(base)) {
		pr_err("base %d is not a usable option number\n", base);
		return -EINVAL;
	}
	kv_sockopts.set_optmin = kv_sockopts.get_optmin = base;
	kv_sockopts.set_optmax = kv_sockopts.get_optmax = base + SOCKCTL_KV_SO_COUNT;

	err = register_pernet_subsys(&kv_net_ops);
	if (err)
		return err;
	err = nf_register_sockopt(&kv_sockopts);
	if (err) {
		pr_err("options %d to %d: already registered (%d)\n",
		       base, base + SOCKCTL_KV_SO_COUNT - 1, err);
		unregister_pernet_subsys(&kv_net_ops);
		return err;
	}
	pr_info("socket options %d to %d registered\n", base, base + SOCKCTL_KV_SO_COUNT - 1);
	return 0;
}

static void __exit kv_exit(void)
{
	/* The reverse of kv_init. A caller holds a module reference, so none is left here. */
	nf_unregister_sockopt(&kv_sockopts);
	unregister_pernet_subsys(&kv_net_ops);
}

module_init(kv_init);
module_exit(kv_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("sockctl demo: a key/value control plane on netfilter socket options");
