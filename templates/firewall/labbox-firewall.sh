#!/bin/sh
# Written by labbox (stack step, issue 9 item 14): the lab's notebook servers reach the hub's API and, through
# NAT, the internet, but not each other, not this server and not the cloud's metadata service. labbox-firewall.service runs it after Docker starts
# (at boot, and again whenever Docker restarts); it replaces its own chains, so running it twice changes nothing.
# `labbox-firewall --check` exits 0 when the rules are in place.
set -eu
bridge={{bridge}}
hub={{hub}}
api={{hubApiPort}}

# Both families: a notebook may have an IPv6 link-local address on the bridge even on an IPv4 network.
families=iptables
if command -v ip6tables >/dev/null && ip6tables --wait -L INPUT -n >/dev/null 2>&1; then
	families="iptables ip6tables"
fi

# Forwarded traffic: Docker's DOCKER-USER chain, which Docker keeps first in FORWARD and never changes; FORWARD
# itself where Docker has none (ip6tables off in Docker: then Docker leaves that FORWARD alone).
forward() { # ipt
	if $1 --wait -L DOCKER-USER -n >/dev/null 2>&1; then echo DOCKER-USER; else echo FORWARD; fi
}

if [ "${1:-}" = --check ]; then
	for ipt in $families; do
		$ipt --wait -C "$(forward "$ipt")" -i "$bridge" -o "$bridge" -j LABBOX-NOTEBOOKS 2>/dev/null || exit 1
		$ipt --wait -C INPUT -i "$bridge" -j LABBOX-INPUT 2>/dev/null || exit 1
		$ipt --wait -C "$(forward "$ipt")" -i "$bridge" -j LABBOX-METADATA 2>/dev/null || exit 1
	done
	exit 0
fi

# A chain of our own, emptied (or made), then jumped to first from `parent` for traffic from the bridge.
own_chain() { # ipt chain parent match...
	ipt=$1 chain=$2 parent=$3
	shift 3
	$ipt --wait -N "$chain" 2>/dev/null || $ipt --wait -F "$chain"
	$ipt --wait -C "$parent" "$@" -j "$chain" 2>/dev/null || $ipt --wait -I "$parent" 1 "$@" -j "$chain"
}

for ipt in $families; do
	# Notebook to notebook: two ports of one bridge, seen by FORWARD through br_netfilter (Docker's enable_icc=false
	# makes sure of that, and drops this traffic itself should these rules be missing). Only the hub's own
	# connections (the proxy to each notebook server) and connections to its API pass.
	own_chain "$ipt" LABBOX-NOTEBOOKS "$(forward "$ipt")" -i "$bridge" -o "$bridge"
	if [ "$ipt" = iptables ]; then
		$ipt --wait -A LABBOX-NOTEBOOKS -s "$hub" -j ACCEPT
		$ipt --wait -A LABBOX-NOTEBOOKS -d "$hub" -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
		$ipt --wait -A LABBOX-NOTEBOOKS -d "$hub" -p tcp --dport "$api" -j ACCEPT
	fi
	$ipt --wait -A LABBOX-NOTEBOOKS -j DROP

	# Anything on the bridge (the hub too) to the cloud's instance metadata service, which hands out the server's
	# cloud credentials (issue 9 gap): AWS, GCP, Azure, OpenStack and others at 169.254.169.254 (AWS on IPv6 at
	# fd00:ec2::254), Alibaba at 100.100.100.200. Forwarded like the internet, so before Docker's own rules.
	own_chain "$ipt" LABBOX-METADATA "$(forward "$ipt")" -i "$bridge"
	if [ "$ipt" = iptables ]; then
		$ipt --wait -A LABBOX-METADATA -d 169.254.169.254 -j DROP
		$ipt --wait -A LABBOX-METADATA -d 100.100.100.200 -j DROP
	else
		$ipt --wait -A LABBOX-METADATA -d fd00:ec2::254 -j DROP
	fi

	# Notebook to this server, at any of its addresses: answers to its own connections and DNS only. The hub
	# may reach the server (a login provider running on it).
	own_chain "$ipt" LABBOX-INPUT INPUT -i "$bridge"
	if [ "$ipt" = iptables ]; then
		$ipt --wait -A LABBOX-INPUT -s "$hub" -j RETURN
	fi
	$ipt --wait -A LABBOX-INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j RETURN
	$ipt --wait -A LABBOX-INPUT -p udp --dport 53 -j RETURN
	$ipt --wait -A LABBOX-INPUT -p tcp --dport 53 -j RETURN
	$ipt --wait -A LABBOX-INPUT -j DROP
done
