// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sockctl_dev: a virtual network device with private ioctl commands.
 *
 * A {cmd, arg1, arg2} command sent from user space through the socket ioctl
 * path and handled in the kernel, with no kernel patch: sock_ioctl ->
 * inet_ioctl passes SIOCDEVPRIVATE..SIOCDEVPRIVATE+15 on to dev_ioctl, which
 * takes RTNL and calls the named device's ndo_siocdevprivate with the user
 * pointer from ifr_data. The core checks no capability for these: a driver
 * decides, and this one asks CAP_NET_ADMIN in the device's namespace for
 * every command that changes something. include/sockctl_dev.h describes the
 * commands.
 *
 * The device itself discards what it is given to send, like dummy.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/capability.h>
#include <linux/etherdevice.h>
#include <linux/if.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/sockios.h>
#include <linux/uaccess.h>
#include <net/rtnetlink.h>

#include "sockctl_dev.h"

static int numdevs = 1;
module_param(numdevs, int, 0444);
MODULE_PARM_DESC(numdevs, "devices to create at load, sctl0 upwards (default 1)");

struct sctl_priv {
	atomic64_t counters[SOCKCTL_DEV_COUNTERS];
};

static netdev_tx_t sctl_xmit(struct sk_buff *skb, struct net_device *dev)
{
	DEV_STATS_INC(dev, tx_packets);
	DEV_STATS_ADD(dev, tx_bytes, skb->len);
	dev_kfree_skb(skb);
	return NETDEV_TX_OK;
}

static int sctl_command(struct net_device *dev, void __user *data)
{
	struct sctl_priv *priv = netdev_priv(dev);
	struct sockctl_dev_cmd c;
	atomic64_t *counter;

	if (copy_from_user(&c, data, sizeof(c)))
		return -EFAULT;
	/* Reading a counter is for anyone; logging and changing are not. */
	if (c.cmd != SOCKCTL_DEV_CMD_GET && !ns_capable(dev_net(dev)->user_ns, CAP_NET_ADMIN))
		return -EPERM;
	if (c.cmd == SOCKCTL_DEV_CMD_LOG) {
		netdev_info(dev, "sockctl_dev command: arg1=%u arg2=%llu\n", c.arg1, c.arg2);
		return 0;
	}
	if (c.cmd < SOCKCTL_DEV_CMD_SET || c.cmd > SOCKCTL_DEV_CMD_ADD)
		return -EOPNOTSUPP;
	if (c.arg1 >= SOCKCTL_DEV_COUNTERS)
		return -ERANGE;

	counter = &priv->counters[c.arg1];
	switch (c.cmd) {
	case SOCKCTL_DEV_CMD_SET:
		c.arg2 = atomic64_xchg(counter, c.arg2);
		break;
	case SOCKCTL_DEV_CMD_GET:
		c.arg2 = atomic64_read(counter);
		break;
	case SOCKCTL_DEV_CMD_ADD:
		c.arg2 = atomic64_add_return(c.arg2, counter);
		break;
	}
	/* The counter changed already; a caller whose buffer vanished learns it from EFAULT. */
	if (copy_to_user(data, &c, sizeof(c)))
		return -EFAULT;
	return 0;
}

static int sctl_counters(struct net_device *dev, void __user *data)
{
	struct sctl_priv *priv = netdev_priv(dev);
	struct sockctl_dev_counters all;
	int i;

	memset(&all, 0, sizeof(all));
	all.count = SOCKCTL_DEV_COUNTERS;
	for (i = 0; i < SOCKCTL_DEV_COUNTERS; i++)
		all.value[i] = atomic64_read(&priv->counters[i]);
	if (copy_to_user(data, &all, sizeof(all)))
		return -EFAULT;
	return 0;
}

static int sctl_siocdevprivate(struct net_device *dev, struct ifreq *ifr,
			       void __user *data, int cmd)
{
	switch (cmd - SIOCDEVPRIVATE) {
	case SOCKCTL_DEV_IOC_CMD:
		return sctl_command(dev, data);
	case SOCKCTL_DEV_IOC_COUNTERS:
		return sctl_counters(dev, data);
	}
	return -EOPNOTSUPP;
}

static const struct net_device_ops sctl_netdev_ops = {
	.ndo_start_xmit = sctl_xmit,
	.ndo_siocdevprivate = sctl_siocdevprivate,
	.ndo_set_mac_address = eth_mac_addr,
	.ndo_validate_addr = eth_validate_addr,
};

static void sctl_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &sctl_netdev_ops;
	dev->needs_free_netdev = true;
	dev->flags |= IFF_NOARP;
	dev->flags &= ~IFF_MULTICAST;
	dev->priv_flags |= IFF_NO_QUEUE;
	eth_hw_addr_random(dev);
}

static int sctl_validate(struct nlattr *tb[], struct nlattr *data[],
			 struct netlink_ext_ack *extack)
{
	if (tb[IFLA_ADDRESS]) {
		if (nla_len(tb[IFLA_ADDRESS]) != ETH_ALEN)
			return -EINVAL;
		if (!is_valid_ether_addr(nla_data(tb[IFLA_ADDRESS])))
			return -EADDRNOTAVAIL;
	}
	return 0;
}

static struct rtnl_link_ops sctl_link_ops __read_mostly = {
	.kind = SOCKCTL_DEV_KIND,
	.priv_size = sizeof(struct sctl_priv),
	.setup = sctl_setup,
	.validate = sctl_validate,
};

static int __init sctl_create(void)
{
	struct net_device *dev;
	int err;

	dev = alloc_netdev(sizeof(struct sctl_priv), SOCKCTL_DEV_KIND "%d", NET_NAME_ENUM, sctl_setup);
	if (!dev)
		return -ENOMEM;
	dev->rtnl_link_ops = &sctl_link_ops;
	err = register_netdevice(dev);
	if (err)
		free_netdev(dev);
	return err;
}

static int __init sctl_init(void)
{
	int i, err;

	if (numdevs < 0 || numdevs > 64) {
		pr_err("numdevs %d is out of range (0-64)\n", numdevs);
		return -EINVAL;
	}
	err = rtnl_link_register(&sctl_link_ops);
	if (err)
		return err;
	rtnl_lock();
	for (i = 0; i < numdevs && !err; i++)
		err = sctl_create();
	rtnl_unlock();
	if (err)
		rtnl_link_unregister(&sctl_link_ops);	/* also removes the devices made */
	return err;
}

static void __exit sctl_exit(void)
{
	/* Removes every sctl device, in every namespace. */
	rtnl_link_unregister(&sctl_link_ops);
}

module_init(sctl_init);
module_exit(sctl_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("sockctl demo: a virtual device answering private ioctls");
MODULE_ALIAS_RTNL_LINK(SOCKCTL_DEV_KIND);
