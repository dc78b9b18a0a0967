/* SPDX-License-Identifier: GPL-2.0-or-later WITH Linux-syscall-note */
/*
 * sockctl_kv: a control plane on netfilter socket options.
 *
 * The module registers a range of IPv4 socket options (setsockopt and
 * getsockopt at level IPPROTO_IP on any AF_INET socket; sockctl uses a raw
 * socket, as iptables does) starting at the module parameter "base"
 * (SOCKCTL_KV_BASE_DEFAULT when not given). Option numbers below are offsets
 * from that base.
 *
 * SOCKCTL_KV_SO_MSG: the plain message exchange. setsockopt stores 0 to
 * SOCKCTL_KV_MSG_MAX bytes; getsockopt returns them (the buffer must hold
 * them all, else ERANGE).
 *
 * SOCKCTL_KV_SO_CTL: the versioned request protocol. Every request starts
 * with a struct sockctl_kv_hdr whose length counts the payload that follows
 * it; the option length must be exactly sizeof(hdr) + length. Set requests
 * (PUT, DEL, FLUSH) go through setsockopt and need CAP_NET_ADMIN in the
 * socket's network namespace. Get requests (INFO, GET, LIST) go through
 * getsockopt: the caller writes the request at the start of its buffer, and
 * the module overwrites the buffer with a reply (a header and its payload)
 * and sets the option length to the reply's size. A buffer too small for the
 * reply gets ERANGE and is left alone.
 *
 * Errors: EINVAL for a malformed request (a length that does not match, a
 * reserved field or flag that is not zero, a key or value of a bad length),
 * EPROTONOSUPPORT for another version, EOPNOTSUPP for an unknown command,
 * ENOENT for a missing key, EEXIST when SOCKCTL_KV_PUT_CREATE finds one,
 * EAGAIN when SOCKCTL_KV_PUT_MATCH finds another revision, ENOSPC when the
 * namespace holds SOCKCTL_KV_MAX_RECORDS records, EPERM without CAP_NET_ADMIN.
 *
 * State is per network namespace and is lost when the module is unloaded.
 */
#ifndef _UAPI_SOCKCTL_KV_H
#define _UAPI_SOCKCTL_KV_H

#include <linux/types.h>

#define SOCKCTL_KV_BASE_DEFAULT	128

/* Option offsets from the base, for both setsockopt and getsockopt. */
#define SOCKCTL_KV_SO_MSG	0
#define SOCKCTL_KV_SO_CTL	1
#define SOCKCTL_KV_SO_COUNT	2	/* options registered, from the base */

#define SOCKCTL_KV_VERSION	1
#define SOCKCTL_KV_MSG_MAX	64
#define SOCKCTL_KV_KEY_MAX	32
#define SOCKCTL_KV_VALUE_MAX	128
#define SOCKCTL_KV_MAX_RECORDS	1024

/* Commands: INFO, GET and LIST are get requests; PUT, DEL and FLUSH set ones. */
#define SOCKCTL_KV_CMD_INFO	1
#define SOCKCTL_KV_CMD_GET	2
#define SOCKCTL_KV_CMD_LIST	3
#define SOCKCTL_KV_CMD_PUT	4
#define SOCKCTL_KV_CMD_DEL	5
#define SOCKCTL_KV_CMD_FLUSH	6

/* sockctl_kv_put.flags */
#define SOCKCTL_KV_PUT_CREATE	0x1	/* fail with EEXIST if the key exists */
#define SOCKCTL_KV_PUT_REPLACE	0x2	/* fail with ENOENT if it does not */
#define SOCKCTL_KV_PUT_MATCH	0x4	/* fail with EAGAIN unless record.revision is the current one */
#define SOCKCTL_KV_PUT_FLAGS	0x7

struct sockctl_kv_hdr {
	__u16 version;		/* SOCKCTL_KV_VERSION */
	__u16 command;		/* SOCKCTL_KV_CMD_* */
	__u32 length;		/* bytes of payload after this header */
};

/* A key: GET and DEL requests, and where LIST starts. */
struct sockctl_kv_key {
	__u16 key_len;		/* 1 to SOCKCTL_KV_KEY_MAX (0 only as LIST's start) */
	__u16 reserved;		/* zero */
	__u8 key[SOCKCTL_KV_KEY_MAX];	/* bytes past key_len are zero */
};

/* One record: GET's reply, LIST's entries, and inside PUT. */
struct sockctl_kv_record {
	__u32 revision;		/* bumped by every PUT of the key; starts at 1 */
	__u16 key_len;
	__u16 value_len;	/* 0 to SOCKCTL_KV_VALUE_MAX */
	__u8 key[SOCKCTL_KV_KEY_MAX];
	__u8 value[SOCKCTL_KV_VALUE_MAX];	/* bytes past value_len are zero */
};

/* PUT: store a record; its revision is read only with SOCKCTL_KV_PUT_MATCH. */
struct sockctl_kv_put {
	__u32 flags;		/* SOCKCTL_KV_PUT_* */
	struct sockctl_kv_record record;
};

/* LIST request: up to max records whose keys sort after start (all if start.key_len is 0). */
struct sockctl_kv_list_req {
	__u32 max;
	struct sockctl_kv_key start;
};

/* LIST reply: count records follow, in key order (shorter first among equal prefixes). */
struct sockctl_kv_list {
	__u32 total;		/* records in the namespace */
	__u32 count;		/* records in this reply */
	struct sockctl_kv_record records[];
};

/* INFO reply. */
struct sockctl_kv_info {
	__u32 version;		/* SOCKCTL_KV_VERSION */
	__u32 base;		/* the first option number */
	__u32 records;
	__u32 max_records;
	__u32 key_max;
	__u32 value_max;
	__u32 msg_len;		/* bytes stored through SOCKCTL_KV_SO_MSG */
	__u32 msg_max;
};

#endif /* _UAPI_SOCKCTL_KV_H */
