"""The training harness every script in ``scripts/`` that fits a model shares.

- ``corpora``: where the training corpora live (``../shared/data`` beside the repository, or
  ``$FABULA_DATA``), and the files each model reads, for the data hash;
- ``folds``: the one fold assignment per corpus (``fabula/data/folds.json``), so no model is
  evaluated on a text another model in its chain was trained on;
- ``optimiser``: the one Adam step; ``tanh``: fitting the attribution models' tanh scorer;
- ``metrics``: the one precision / recall / F1;
- ``ship``: writing weights with their hyperparameters, folds, data hash and commit.

Only ``folds`` and ``ship``'s reader are used at run time (by ``fabula.models``, to refuse
models trained on other folds); the rest is for the scripts.
"""
