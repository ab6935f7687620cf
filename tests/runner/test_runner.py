# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""AWX / Automation Controller (`make runner-test`): the credential type, a job under ansible-runner, the EE.

The job is run the way AWX runs one: `ansible-runner run` on a private data directory whose
env/envvars holds exactly what the custom credential type (extensions/awx/credential_type.yml)
injects, rendered from its injector templates; nothing else carries a credential.
"""

from __future__ import annotations

import json
import pathlib
import shutil
import stat

import jinja2
import jinja2.meta
import jinja2.sandbox
import pytest
import yaml

from conftest import (BUILD, ROOT, assert_no_secret_in_output, assert_ran, clean_env, env_file_value, run, secrets_in_tree, seed_secrets,
                      stage_collection)
from zendesk_simulator import seed

WORK = BUILD / "runner"
AWX_DIR = ROOT / "extensions" / "awx"
CREDENTIAL_TYPE = yaml.safe_load((AWX_DIR / "credential_type.yml").read_text(encoding="utf-8"))
APP_CLIENT_TYPE = yaml.safe_load((AWX_DIR / "app_client_credential_type.yml").read_text(encoding="utf-8"))
# The variables the modules read (plugins/module_utils/_connection_options.py) that the credential type sets.
INJECTED = {"ZENDESK_SUBDOMAIN", "ZENDESK_URL", "ZENDESK_OAUTH_CLIENT_IDENTIFIER", "ZENDESK_OAUTH_CLIENT_SECRET", "ZENDESK_OAUTH_TOKEN",
            "ZENDESK_EMAIL", "ZENDESK_API_TOKEN"}
HOSTS = ("app1", "app2")
IDENT = "job1"


def inject(inputs, credential_type=None, kind="env"):
    """What AWX injects (the environment, or extra_vars) for a credential with these inputs: each template rendered in
    a sandbox with the inputs (AWX leaves a field that was not filled in undefined, which renders as "")."""
    sandbox = jinja2.sandbox.ImmutableSandboxedEnvironment()
    templates = (credential_type or CREDENTIAL_TYPE)["injectors"][kind]
    return {name: sandbox.from_string(template).render(**inputs) for name, template in templates.items()}


def test_credential_type_definition():
    """Fields are well formed, secrets are marked secret, and the injectors set exactly the ZENDESK_* variables."""
    assert CREDENTIAL_TYPE["kind"] == "cloud" and CREDENTIAL_TYPE["name"]
    fields = {field["id"]: field for field in CREDENTIAL_TYPE["inputs"]["fields"]}
    for field in fields.values():
        assert field["type"] == "string" and field["label"] and field["help_text"], field
    assert {name for name, field in fields.items() if field.get("secret")} == {"oauth_client_secret", "oauth_token", "api_token"}
    assert set(CREDENTIAL_TYPE["inputs"].get("required", [])) <= set(fields)
    assert set(CREDENTIAL_TYPE["injectors"]["env"]) == INJECTED
    module_utils = (ROOT / "plugins" / "module_utils" / "_connection_options.py").read_text(encoding="utf-8")
    parser = jinja2.Environment(autoescape=False)
    for name, template in CREDENTIAL_TYPE["injectors"]["env"].items():
        assert f'"{name}"' in module_utils, f"the modules do not read {name}"
        assert jinja2.meta.find_undeclared_variables(parser.parse(template)) <= set(fields), template
    assert "2027-04-30" in fields["api_token"]["help_text"]
    assert inject({"url": "https://x.example", "oauth_token": "t"}) == {
        "ZENDESK_SUBDOMAIN": "", "ZENDESK_URL": "https://x.example", "ZENDESK_OAUTH_CLIENT_IDENTIFIER": "", "ZENDESK_OAUTH_CLIENT_SECRET": "",
        "ZENDESK_OAUTH_TOKEN": "t", "ZENDESK_EMAIL": "", "ZENDESK_API_TOKEN": ""}
    assert inject({"subdomain": "obscura", "oauth_client_identifier": "ansible_automation", "oauth_client_secret": "s"})[
        "ZENDESK_OAUTH_CLIENT_SECRET"] == "s"


def private_data_dir(inputs, extravars=None):
    """A private data directory like the one AWX hands ansible-runner for a credential with these inputs."""
    pdd = WORK / "private_data_dir"
    for path in (pdd, WORK / "hosts"):
        shutil.rmtree(path, ignore_errors=True)
    shutil.copytree(ROOT / "tests" / "runner" / "awx-job", pdd)
    stage_collection(pdd / "project" / "collections")
    for host in HOSTS:
        (WORK / "hosts" / host).mkdir(parents=True)
        (WORK / "hosts" / host / "app.env").write_text(f"APP_NAME={host}\n", encoding="utf-8")
    (pdd / "env" / "envvars").write_text(yaml.safe_dump(inject(inputs)), encoding="utf-8")
    (pdd / "env" / "extravars").write_text(yaml.safe_dump(dict(extravars or {}, runner_hosts_dir=str(WORK / "hosts"))), encoding="utf-8")
    return pdd


@pytest.fixture(name="job")
def job_fixture(sim):
    """The job with an OAuth access token credential, and the hosts' directories."""
    return private_data_dir({"url": sim.url, "oauth_token": seed.BOOTSTRAP_ADMIN_OAUTH_TOKEN})


def automation_client(sim):
    """A confidential OAuth client owned by the seed admin, for the job's client credentials."""
    return sim.call("POST", "clients", {"client": {"name": "AWX automation", "identifier": "awx_automation", "kind": "confidential",
                                                   "user_id": seed.ADMIN_ID}})["client"]


def deployed_value(minted):
    """The one token value every host holds; it is the minted token."""
    values = {env_file_value(WORK / "hosts" / host / "app.env", "ZENDESK_OAUTH_TOKEN") for host in HOSTS}
    assert len(values) == 1
    value = values.pop()
    assert value and value.startswith(minted["token"])
    return value


def secrets_outside_the_command_file(job, secrets):
    """Secrets in the runner's artifacts, except ansible-runner's own record of the environment (see below)."""
    leaks = secrets_in_tree(job / "artifacts", secrets)
    return leaks, leaks.pop(f"{IDENT}/command", [])


def test_job_under_ansible_runner(job, sim):
    """The job succeeds with credentials only in env/envvars, and no secret lands in the runner's artifacts."""
    result = run(["ansible-runner", "run", job, "-p", "provision.yml", "--ident", IDENT], env=clean_env())
    assert_ran(result)
    artifacts = job / "artifacts" / IDENT
    assert (artifacts / "status").read_text(encoding="utf-8") == "successful"
    assert (artifacts / "rc").read_text(encoding="utf-8") == "0"

    minted = [token for token in sim.state()["tokens"] if token["id"] not in (seed.BOOTSTRAP_ADMIN_TOKEN_ID, seed.BOOTSTRAP_AGENT_TOKEN_ID)]
    assert len(minted) == 1 and minted[0]["client_id"] == seed.MY_APP_CLIENT_ID
    value = deployed_value(minted[0])

    secrets = dict(seed_secrets(), **{"minted token": value})
    assert_no_secret_in_output(result, secrets)
    events = list((artifacts / "job_events").glob("*.json"))
    assert len(events) > 10 and "PLAY RECAP" in (artifacts / "stdout").read_text(encoding="utf-8")
    leaks, command_leaks = secrets_outside_the_command_file(job, secrets)
    # ansible-runner records the job's whole environment, injected credentials included, in
    # artifacts/<ident>/command (mode 0600), by design; AWX deletes the private data directory after
    # the job. That file may hold the injected credential in its "env" map and nowhere else.
    assert not leaks, f"secrets in the runner's artifacts: {leaks}"
    assert set(command_leaks) <= {"bootstrap admin OAuth token"}, command_leaks
    command = json.loads((artifacts / "command").read_text(encoding="utf-8"))
    assert command["env"]["ZENDESK_OAUTH_TOKEN"] == seed.BOOTSTRAP_ADMIN_OAUTH_TOKEN
    del command["env"]
    assert not secrets_in_json(command, secrets)
    assert stat.S_IMODE((artifacts / "command").stat().st_mode) == 0o600


def test_job_with_oauth_client_credentials(sim):
    """A credential with the client identifier and secret: one session for the play, revoked at its end, never shown."""
    client = automation_client(sim)
    job = private_data_dir({"url": sim.url, "oauth_client_identifier": client["identifier"], "oauth_client_secret": client["secret"]})
    result = run(["ansible-runner", "run", job, "-p", "provision.yml", "--ident", IDENT], env=clean_env())
    secrets = dict(seed_secrets(), **{"automation client secret": client["secret"]})
    assert_ran(result, secrets)
    artifacts = job / "artifacts" / IDENT
    assert (artifacts / "status").read_text(encoding="utf-8") == "successful"

    counters = sim.counters()
    assert counters.get("POST /oauth/tokens") == 1 and counters.get("POST /api/v2/oauth/tokens") == 1, counters
    grants = sim.call("GET", "grants")["grants"]
    assert len(grants) == 1 and not grants[0]["live"] and grants[0]["user_id"] == seed.ADMIN_ID
    minted = [token for token in sim.state()["tokens"] if token["client_id"] == seed.MY_APP_CLIENT_ID]
    assert len(minted) == 1 and minted[0]["user_id"] == seed.ADMIN_ID
    secrets.update({"minted token": deployed_value(minted[0]), "session token": grants[0]["full_token"]})

    assert_no_secret_in_output(result, secrets)
    leaks, command_leaks = secrets_outside_the_command_file(job, secrets)
    assert not leaks, f"secrets in the runner's artifacts: {leaks}"
    assert set(command_leaks) <= {"automation client secret"}, command_leaks
    command = json.loads((artifacts / "command").read_text(encoding="utf-8"))
    assert command["env"]["ZENDESK_OAUTH_CLIENT_SECRET"] == client["secret"] and command["env"]["ZENDESK_OAUTH_TOKEN"] == ""
    del command["env"]
    assert not secrets_in_json(command, secrets)


def test_app_client_credential_type_definition():
    """The application client's type: both fields required, the secret marked secret, injected as the role's variables."""
    assert APP_CLIENT_TYPE["kind"] == "cloud" and APP_CLIENT_TYPE["name"] != CREDENTIAL_TYPE["name"]
    fields = {field["id"]: field for field in APP_CLIENT_TYPE["inputs"]["fields"]}
    assert set(APP_CLIENT_TYPE["inputs"]["required"]) == set(fields) == {"identifier", "secret"}
    assert [name for name, field in fields.items() if field.get("secret")] == ["secret"]
    assert inject({"identifier": "my_app", "secret": "s"}, APP_CLIENT_TYPE, "extra_vars") == {
        "zendesk_app_client_identifier": "my_app", "oauth_token_client_secret": "s"}


def test_job_delivering_client_credentials_from_a_credential(sim):
    """Delivery client_credentials with the application client's secret from its own credential: deployed as it is
    (one exchange checks it, its token revoked), nothing regenerated, no secret in the artifacts but the command file."""
    client = sim.call("POST", "clients", {"client": {"name": "My app", "identifier": "my_app_awx", "kind": "confidential",
                                                     "user_id": seed.ADMIN_ID}})["client"]
    extravars = dict(inject({"identifier": client["identifier"], "secret": client["secret"]}, APP_CLIENT_TYPE, "extra_vars"),
                     oauth_token_delivery="client_credentials", oauth_token_client_name=None,
                     oauth_token_client_identifiers=["{{ zendesk_app_client_identifier }}"])
    job = private_data_dir({"url": sim.url, "oauth_token": seed.BOOTSTRAP_ADMIN_OAUTH_TOKEN}, extravars)
    result = run(["ansible-runner", "run", job, "-p", "provision.yml", "--ident", IDENT], env=clean_env())
    secrets = dict(seed_secrets(), **{"application client secret": client["secret"]})
    assert_ran(result, secrets)
    assert (job / "artifacts" / IDENT / "status").read_text(encoding="utf-8") == "successful"
    for host in HOSTS:
        app_env = WORK / "hosts" / host / "app.env"
        assert env_file_value(app_env, "ZENDESK_OAUTH_CLIENT_IDENTIFIER") == client["identifier"]
        assert env_file_value(app_env, "ZENDESK_OAUTH_CLIENT_SECRET") == client["secret"]
    counters = sim.counters()
    assert counters.get("POST /oauth/tokens") == 1 and not counters.get("PUT /api/v2/oauth/clients/{id}/generate_secret"), counters
    assert not [grant for grant in sim.call("GET", "grants")["grants"] if grant["live"]]
    assert_no_secret_in_output(result, secrets)
    leaks, _command_leaks = secrets_outside_the_command_file(job, secrets)
    assert set(leaks) <= {f"{IDENT}/env/extravars"}, f"secrets in the runner's artifacts: {leaks}"


def secrets_in_json(data, secrets):
    """Names of secrets found in a JSON-serialisable value."""
    text = json.dumps(data)
    return [name for name, secret in secrets.items() if secret in text]


def test_execution_environment_create():
    """`ansible-builder create` turns the v3 definition into a build context (no image: no container engine here)."""
    context = WORK / "ee-context"
    shutil.rmtree(context, ignore_errors=True)
    result = run(["ansible-builder", "create", "-f", AWX_DIR / "execution-environment.yml", "-c", context, "--output-filename", "Containerfile"])
    assert_ran(result)
    containerfile = (context / "Containerfile").read_text(encoding="utf-8")
    assert "ansible-core>=2.18,<2.22" in containerfile and "ansible-galaxy collection install" in containerfile
    requirements = yaml.safe_load((context / "_build" / "requirements.yml").read_text(encoding="utf-8"))
    assert [collection["name"] for collection in requirements["collections"]] == ["obscura.zendesk"]


def test_collection_dependencies_for_execution_environments():
    """ansible-builder's introspection finds the collection's Python and system needs in meta/execution-environment.yml."""
    staged = stage_collection(WORK / "introspect")
    result = run(["ansible-builder", "introspect", "--sanitize", pathlib.Path(staged).parents[2]])
    assert_ran(result)
    found = yaml.safe_load(result.stdout)
    assert found["python"] == ["requests>=2.28  # from collection obscura.zendesk", "ruamel.yaml>=0.17  # from collection obscura.zendesk"]
    assert found["system"] == ["ca-certificates [platform:rpm platform:dpkg]  # from collection obscura.zendesk"]
