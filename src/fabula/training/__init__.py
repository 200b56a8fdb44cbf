"""The training harness every script in ``scripts/`` that fits a model shares.

- ``corpora``: where the training corpora live (``../shared/data`` beside the repository, or
  ``$FABULA_DATA``), and the files each model reads, for the data hash;
- ``folds``: the one fold assignment per corpus (``fabula/data/folds.json``), so no model is
  evaluated on a text another model in its chain was trained on;
- ``optimiser``: the one Adam step; ``tanh``: fitting the attribution models' tanh scorer;
- ``metrics``: the one precision / recall / F1;
- ``ship``: writing weights with their hyperparameters, folds, data hash and commit;
- ``pdnc``: the run the PDNC-trained scripts share (collect per novel, fit per fold, ship).

At run time ``fabula.models`` uses ``folds`` and ``ship``'s reader (to refuse a model trained
on other folds) and ``fabula.evaluation`` the PRF; the rest is for the scripts.
"""
