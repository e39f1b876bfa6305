#!/bin/sh
# inspect: what this container sees — its user, its environment, its network, its mounts.
set -u
echo "== user";  id
echo "== env";   env | sort
echo "== net";   ip addr 2>/dev/null || ifconfig -a
echo "== mounts"; cat /proc/mounts
