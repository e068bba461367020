"""The study runner: plan -> execute (papermill) -> render (nbconvert) -> index.

It runs notebooks and never imports the analysis modules. Heavy imports (papermill, nbconvert)
happen inside the worker processes only.
"""
