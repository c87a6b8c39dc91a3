"""The README's Python example runs as shown."""

import os
import re

import pytest

README = os.path.join(os.path.dirname(__file__), "..", "..", "README.md")


@pytest.mark.skipif(not os.path.exists(README), reason="not in the checkout")
def test_readme_example():
    blocks = re.findall(r"```python\n(.*?)```", open(README).read(), re.S)
    assert blocks, "README.md has no ```python block"
    exec(compile(blocks[0], "README.md", "exec"), {})
