"""Machine learning on the project's own tasks: suggest a task's category from its text.

Plain Python: nothing here imports the web framework or the ORM. The steps,
one module each:

- `data`: collect (the seed CSV shipped here plus the caller's tasks), clean, deduplicate,
  split into training and held-out sets with a fixed seed;
- `analysis`: pandas summaries of the data set, written as JSON and Markdown;
- `plots`: class balance, confusion matrix and learning curve as PNG files (headless);
- `train`: scikit-learn pipelines compared by cross-validation, the best one evaluated;
- `persistence`: the model file with its metadata, checked again when it is loaded;
- `predict`: validated input, a cached model, `PredictOut`;
- `workflow`: all of it in one call, for `make train` and the framework CLI commands;
- `paths`: where the model and the reports live.
"""
