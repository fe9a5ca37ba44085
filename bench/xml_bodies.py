#!/usr/bin/env python3
"""The XML answers of issue #27's parse benchmarks, made from the pinned models
(botocore 1.44.8, `tests/fixtures/models`):

    python3 bench/xml_bodies.py list-roles > list-roles.xml           # IAM (query)
    python3 bench/xml_bodies.py describe-instances > instances.xml    # EC2 (ec2)

`list-roles`: a ListRoles answer with 1,000 roles (`--count`), every member of `Role` set
(the trust policy URL-encoded JSON as IAM sends it, two tags, the permissions boundary,
the last use), inside `<ListRolesResult>` with the `ResponseMetadata` of query answers.

`describe-instances`: a DescribeInstances answer with 110 reservations of one instance
each (`--count`), every member of `Instance` set recursively to depth 4, two items per
list, in the ec2 protocol's form (`locationName`s, `<item>` list members,
`<requestId>`): about 1 MB.

The XML follows the rules botocore's parsers read (element names from `locationName`,
list members named by the list's member `locationName` or `member`, `flattened`, map
`entry`/`key`/`value`); `scripts/differential_query.py` checks our parser against
botocore's on answers written the same way. Deterministic.
"""

import argparse
import gzip
import json
import os
import sys
from urllib.parse import quote
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.join(os.path.dirname(HERE), "tests", "fixtures", "models")


def load(service, version):
    with gzip.open(os.path.join(MODELS, service, version, "service-2.json.gz")) as f:
        return json.load(f)


TRUST = quote(json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
    "Action": "sts:AssumeRole"}]}, separators=(",", ":")), safe="")


class Writer:
    def __init__(self, shapes, depth, special):
        self.shapes = shapes
        self.depth = depth
        self.special = special  # member name -> value function of the record's number
        self.record = 0

    def scalar(self, name, shape, member, i):
        if member in self.special:
            return self.special[member](self.record)
        t = shape["type"]
        if t == "string":
            enum = shape.get("enum")
            return enum[i % len(enum)] if enum else f"{member[:1].lower()}{member[1:]}-{i:06d}"
        if t in ("integer", "long"):
            return str(3600 + i % 40000)
        if t == "boolean":
            return "true" if i % 2 == 0 else "false"
        if t in ("double", "float"):
            return repr((i % 1000) / 8)
        if t == "timestamp":
            return f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:{(7 * i) % 60:02d}Z"
        if t == "blob":
            return "YmxvYg=="
        raise SystemExit(f"xml_bodies: no value for type {t} ({name})")

    def element(self, tag, name, member, i, depth):
        shape = self.shapes[name]
        t = shape["type"]
        if t == "structure":
            return f"<{tag}>{self.children(name, i, depth + 1)}</{tag}>"
        if t == "list":
            item = shape["member"].get("locationName", "member")
            inner = "".join(self.element(item, shape["member"]["shape"], member, i + k, depth + 1)
                            for k in range(2))
            return f"<{tag}>{inner}</{tag}>"
        if t == "map":
            k_name = shape["key"].get("locationName", "key")
            v_name = shape["value"].get("locationName", "value")
            inner = "".join(
                f"<entry><{k_name}>key-{k}</{k_name}>"
                f"{self.element(v_name, shape['value']['shape'], member, i + k, depth + 1)}</entry>"
                for k in range(2))
            return f"<{tag}>{inner}</{tag}>"
        return f"<{tag}>{escape(self.scalar(name, shape, member, i))}</{tag}>"

    def children(self, name, i, depth):
        """The members of structure `name`: every one, except that structures, lists and
        maps deeper than the writer's depth are left out."""
        out = []
        for k, (member, ref) in enumerate(sorted(self.shapes[name].get("members", {}).items())):
            shape = self.shapes[ref["shape"]]
            if depth >= self.depth and shape["type"] in ("structure", "list", "map"):
                continue
            tag = ref.get("locationName", member)
            if shape["type"] == "list" and (shape.get("flattened") or ref.get("flattened")):
                item = shape["member"].get("locationName", tag)
                out.extend(self.element(item, shape["member"]["shape"], member, i + j, depth)
                           for j in range(2))
            else:
                out.append(self.element(tag, ref["shape"], member, i + k, depth))
        return "".join(out)


def list_roles(count):
    model = load("iam", "2010-05-08")
    special = {
        "Path": lambda i: "/service-role/" if i % 3 == 0 else "/",
        "RoleName": lambda i: f"app-role-{i:05d}",
        "RoleId": lambda i: f"AROA{i:017d}",
        "Arn": lambda i: f"arn:aws:iam::123456789012:role/app-role-{i:05d}",
        "AssumeRolePolicyDocument": lambda i: TRUST,
        "Description": lambda i: f"Lets the application's tier {i % 7} call other services",
        "PermissionsBoundaryArn": lambda i: "arn:aws:iam::123456789012:policy/boundary",
        "Key": lambda i: ["team", "env"][i % 2],
        "Value": lambda i: f"value-{i % 13}",
        "Region": lambda i: "us-east-1",
        "MaxSessionDuration": lambda i: "3600",
        "MaxSigninSessionDuration": lambda i: "43200",
    }
    w = Writer(model["shapes"], 3, special)
    roles = []
    for i in range(count):
        w.record = i
        roles.append(f"<member>{w.children('Role', i, 1)}</member>")
    roles = "".join(roles)
    ns = model["metadata"]["xmlNamespace"]
    return (f'<ListRolesResponse xmlns="{ns}"><ListRolesResult><IsTruncated>true</IsTruncated>'
            f"<Marker>next-page</Marker><Roles>{roles}</Roles></ListRolesResult>"
            "<ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId>"
            "</ResponseMetadata></ListRolesResponse>")


def describe_instances(count):
    model = load("ec2", "2016-11-15")
    special = {
        "InstanceId": lambda i: f"i-{i:017x}",
        "ReservationId": lambda i: f"r-{i:017x}",
        "OwnerId": lambda i: "123456789012",
        "ImageId": lambda i: "ami-0abcdef1234567890",
        "PrivateIpAddress": lambda i: f"10.0.{i // 250 % 250}.{i % 250 + 1}",
        "PublicIpAddress": lambda i: f"54.12.{i // 250 % 250}.{i % 250 + 1}",
        "SubnetId": lambda i: "subnet-0123456789abcdef0",
        "VpcId": lambda i: "vpc-0123456789abcdef0",
    }
    w = Writer(model["shapes"], 4, special)
    items = []
    for i in range(count):
        w.record = i
        instance = w.children("Instance", i, 2)
        reservation = "".join([
            f"<reservationId>{special['ReservationId'](i)}</reservationId>",
            "<ownerId>123456789012</ownerId>",
            w.element("groupSet", "GroupIdentifierList", "Groups", i, 2),
            f"<instancesSet><item>{instance}</item></instancesSet>",
        ])
        items.append(f"<item>{reservation}</item>")
    ns = model["metadata"]["xmlNamespace"]
    return (f'<DescribeInstancesResponse xmlns="{ns}/">'
            "<requestId>8f7724cf-496f-496e-8fe3-example</requestId>"
            f"<reservationSet>{''.join(items)}</reservationSet></DescribeInstancesResponse>")


CASES = {"list-roles": (list_roles, 1000), "describe-instances": (describe_instances, 110)}


def body(case, count=None):
    make, default = CASES[case]
    return make(count or default).encode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("case", choices=sorted(CASES))
    ap.add_argument("--count", type=int)
    args = ap.parse_args()
    sys.stdout.buffer.write(body(args.case, args.count))


if __name__ == "__main__":
    main()
