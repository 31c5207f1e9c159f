"""Beyond one process: a Parquet dataset partitioned by case, and a Dask engine over it.

:mod:`casuistry.scale.dataset` converts any input the single-process path
reads into such a dataset (whole cases per partition, the user's own rows
kept); :mod:`casuistry.scale.dask_engine` lets each Dask worker read,
validate and analyse its own partitions and merges the results into the
:class:`~casuistry.analysis.Analysis` the single-process run gives.
"""
