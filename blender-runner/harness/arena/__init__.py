"""Harness modules. A package (not loose files) so a script's own `import render` or
`import stats` can never pick up harness code."""
