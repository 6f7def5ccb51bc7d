# The git exercise's solution: a feature branch with two conventional commits, merged --no-ff.
# Run by tests/test_exercises.py in the project's root, with a git identity in the environment.
set -eu
base=$(git rev-parse --abbrev-ref HEAD)
git switch --quiet --create feature/git-notes
printf '# What I did\n\nWorked on a branch of its own.\n' > exercises/ex10_git/NOTES.md
git add exercises/ex10_git/NOTES.md
git commit --quiet --message "docs(exercises): start my git notes"
printf '\nMerged it with --no-ff, so the merge commit names the branch.\n' >> exercises/ex10_git/NOTES.md
git commit --quiet --all --message "docs(exercises): explain the merge commit"
git switch --quiet "$base"
git merge --quiet --no-ff --no-edit feature/git-notes
