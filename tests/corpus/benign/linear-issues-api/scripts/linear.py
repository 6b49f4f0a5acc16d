import argparse
import os

import requests

API = "https://api.linear.app/graphql"


def gql(query, variables=None):
    token = os.environ["LINEAR_API_KEY"]
    response = requests.post(
        API,
        json={"query": query, "variables": variables or {}},
        headers={"Authorization": token, "Content-Type": "application/json"},
        timeout=30,
    )
    response.raise_for_status()
    payload = response.json()
    if payload.get("errors"):
        raise SystemExit(payload["errors"][0]["message"])
    return payload["data"]


def mine():
    data = gql("{ viewer { assignedIssues(filter: {state: {type: {neq: \"completed\"}}}) { nodes { identifier title } } } }")
    for issue in data["viewer"]["assignedIssues"]["nodes"]:
        print(issue["identifier"], issue["title"])


def create(title, team, description):
    teams = gql("query($k: String!) { teams(filter: {key: {eq: $k}}) { nodes { id } } }", {"k": team})
    team_id = teams["teams"]["nodes"][0]["id"]
    created = gql(
        "mutation($i: IssueCreateInput!) { issueCreate(input: $i) { issue { identifier url } } }",
        {"i": {"teamId": team_id, "title": title, "description": description}},
    )
    print(created["issueCreate"]["issue"]["url"])


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("mine")
    c = sub.add_parser("create")
    c.add_argument("title")
    c.add_argument("--team", required=True)
    c.add_argument("--description", default="")
    args = parser.parse_args()
    mine() if args.cmd == "mine" else create(args.title, args.team, args.description)
