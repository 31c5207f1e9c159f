"""Synthetic case timelines with planted truth.

:func:`synthesize` draws cases of one of five scenarios from the vocabulary
of Dutch practice (:data:`SCENARIOS`): ``jeugdbescherming``,
``huiselijk_geweld``, ``ondermijning``, ``publiek_privaat`` and
``douane_kustwacht``. Each comes back in the case format, as a user would hand
it in, together with the truth the generator planted: when every signal
converges and by which event, and which withholds and contacts were missed
opportunities. :mod:`casuistry.synthetic.planner` and
:mod:`casuistry.synthetic.opportunities` explain how that truth is known by
construction; :mod:`casuistry.synthetic.knobs` lists the knobs.

Examples
--------
>>> import casuistry
>>> synth = casuistry.synthesize("publiek_privaat", 5, seed=42, share_propensity=0.8)
>>> synth.truth_cases.shape[0]
5
>>> list(synth.truth.columns[:3])
['case_id', 'signal_id', 'actor']
"""

from casuistry.synthetic.generator import synthesize
from casuistry.synthetic.knobs import KNOB_NAMES, Knobs
from casuistry.synthetic.result import Synthetic
from casuistry.synthetic.scenarios import SCENARIOS, Scenario

__all__ = ["KNOB_NAMES", "SCENARIOS", "Knobs", "Scenario", "Synthetic", "synthesize"]
