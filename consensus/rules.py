"""Who may see balance, take snapshots, ask for support and decide it; shared by pages and API."""

import rules

from deliberation.rules import can_view, facilitates, participates, process_is_open
from stakeholders.rules import may_act

rules.add_perm("consensus.view_balance", can_view)
rules.add_perm("consensus.snapshot_balance", may_act & facilitates)
rules.add_perm("consensus.request_support", may_act & participates & process_is_open)
rules.add_perm("consensus.decide_support", may_act & facilitates)
