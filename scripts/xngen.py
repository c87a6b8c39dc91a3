#!/usr/bin/env python3
"""Template expander for twopass microkernels (standard library only).

Template syntax, as in XNNPACK's xngen:
  * a line whose first non-blank character is `$` is a Python statement
    (`$for`, `$if`, `$elif`, `$else`, assignments); a statement ending in `:`
    opens a block made of the following lines indented deeper than it;
  * lines inside a block lose the block's extra indentation (2 spaces);
  * `${expr}` in any other line is replaced by str(expr).

Usage: xngen.py TEMPLATE -D NAME=VALUE ... -o OUTPUT
The output starts with a "generated, do not edit" header naming the template
and is rewritten only when its content changes (keeps build timestamps).
"""
import argparse
import os
import sys


def _split_substitutions(text):
  """Splits text into literal pieces and ${...} expressions."""
  pieces = []
  pos = 0
  while True:
    start = text.find("${", pos)
    if start < 0:
      pieces.append((False, text[pos:]))
      return pieces
    pieces.append((False, text[pos:start]))
    depth = 0
    end = start + 1
    while end < len(text):
      if text[end] == "{":
        depth += 1
      elif text[end] == "}":
        depth -= 1
        if depth == 0:
          break
      end += 1
    if end >= len(text):
      raise SyntaxError("unterminated ${ in: " + text)
    pieces.append((True, text[start + 2:end]))
    pos = end + 1


def _indent_of(line):
  return len(line) - len(line.lstrip(" "))


def translate(template):
  """Translates a template into Python code that appends to `_out`."""
  code = []
  blocks = []  # template indentation of each open block's statement
  blank_lines = 0  # emitted with the next line, in that line's block
  for number, line in enumerate(template.splitlines(), 1):
    stripped = line.strip()
    if not stripped:
      blank_lines += 1
      continue
    indent = _indent_of(line)
    is_statement = stripped.startswith("$") and not stripped.startswith("${")
    continuation = is_statement and stripped[1:].lstrip().startswith(("else", "elif"))
    while blocks and (indent < blocks[-1] or (indent == blocks[-1])):
      if continuation and indent == blocks[-1]:
        blocks.pop()
        break
      blocks.pop()
    code.extend(["  " * len(blocks) + "_emit('', 0)"] * blank_lines)
    blank_lines = 0
    if is_statement:
      statement = stripped[1:].lstrip()
      code.append("  " * len(blocks) + statement)
      if statement.endswith(":"):
        blocks.append(indent)
    else:
      dedent = min(indent, 2 * len(blocks))
      text = line[dedent:]
      code.append("  " * len(blocks) + "_emit(%r, %d)" % (text, number))
  return "\n".join(code) + "\n"


def expand(template, defines, template_name="<template>"):
  out = []
  scope = dict(defines)

  def emit(text, number):
    parts = []
    for is_expr, piece in _split_substitutions(text):
      if is_expr:
        try:
          parts.append(str(eval(piece, scope)))
        except Exception as error:
          raise RuntimeError("%s:%d: cannot evaluate ${%s}: %s" %
                             (template_name, number, piece, error))
      else:
        parts.append(piece)
    out.append("".join(parts).rstrip() + "\n")

  scope["_emit"] = emit
  exec(compile(translate(template), template_name, "exec"), scope)
  text = "".join(out)
  while "\n\n\n" in text:  # blocks that emit nothing leave runs of blank lines
    text = text.replace("\n\n\n", "\n\n")
  return text


def parse_define(text):
  name, _, value = text.partition("=")
  try:
    return name, eval(value, {})
  except Exception:
    return name, value


def main(argv):
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("template")
  parser.add_argument("-D", dest="defines", action="append", default=[],
                      metavar="NAME=VALUE")
  parser.add_argument("-o", "--output", required=True)
  args = parser.parse_args(argv)

  defines = dict(parse_define(d) for d in args.defines)
  write_if_changed(args.output, render(args.template, defines))


def render(template_path, defines):
  """The generated file: a "do not edit" header naming the template, then the
  template expanded with `defines`."""
  with open(template_path) as f:
    template = f.read()
  relative_template = os.path.relpath(
      template_path, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))
  header = ("// Auto-generated file. Do not edit!\n"
            "//   Template: %s\n"
            "//   Generator: scripts/xngen.py\n"
            "//\n" % relative_template)
  return header + expand(template, defines, template_path)


def write_if_changed(path, text):
  try:
    with open(path) as f:
      if f.read() == text:
        return
  except FileNotFoundError:
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
  with open(path, "w") as f:
    f.write(text)


if __name__ == "__main__":
  main(sys.argv[1:])
