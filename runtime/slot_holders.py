"""Who holds a concurrency limit's slot: the holder writes its lease and its run beside the limit, as a Prefect variable.

One variable per limit (``<limit>-holder``): the lease id, and the run that took it (run id, host,
pid). The holder writes it as soon as it has the slot and deletes it before giving the slot back,
so a record left behind names a holder that died (or one that died before writing: then there is
no record, and only the lease's end frees the slot). Records live on the Prefect server that holds
the leases, so runs on other hosts see them too.
"""

from __future__ import annotations

from prefect.client.orchestration import SyncPrefectClient
from prefect.client.schemas.actions import VariableCreate, VariableUpdate
from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound
from pydantic import BaseModel, ConfigDict, ValidationError

HOLDER_SUFFIX = "-holder"


class SlotHolder(BaseModel):
    """The holder of one lease: its id and the run (etl_run id, host, pid) that took it; a variable's value as JSON."""

    model_config = ConfigDict(frozen=True)

    lease_id: str
    run_id: int
    host: str
    pid: int


def holder_variable(limit_name: str) -> str:
    """The variable that names the holder of ``limit_name``."""
    return f"{limit_name}{HOLDER_SUFFIX}"


def record_holder(client: SyncPrefectClient, names: list[str], holder: SlotHolder) -> None:
    """Name ``holder`` as the holder of every limit in ``names`` (replacing the record of an earlier holder)."""
    value = holder.model_dump()
    for name in names:
        try:
            client.create_variable(VariableCreate(name=holder_variable(name), value=value))
        except ObjectAlreadyExists:
            client.update_variable(VariableUpdate(name=holder_variable(name), value=value))


def read_holder(client: SyncPrefectClient, name: str) -> SlotHolder | None:
    """The recorded holder of limit ``name``, or None (no record, or one edustat did not write)."""
    variable = client.read_variable_by_name(holder_variable(name))
    if variable is None:
        return None
    try:
        return SlotHolder.model_validate(variable.value)
    except ValidationError:
        return None


def read_holders(client: SyncPrefectClient, names: list[str]) -> list[SlotHolder]:
    """The recorded holders of the limits in ``names``, one per lease, in limit order."""
    found: dict[str, SlotHolder] = {}
    for name in names:
        holder = read_holder(client, name)
        if holder is not None:
            found.setdefault(holder.lease_id, holder)
    return list(found.values())


def forget_holder(client: SyncPrefectClient, names: list[str], lease_id: str) -> None:
    """Delete the records of ``names`` that still name lease ``lease_id`` (a later holder's record stays)."""
    for name in names:
        holder = read_holder(client, name)
        if holder is None or holder.lease_id != lease_id:
            continue
        try:
            client.delete_variable_by_name(holder_variable(name))
        except ObjectNotFound:
            pass  # another run forgot it first
