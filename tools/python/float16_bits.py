"""Reads float32 values from a file and writes numpy's float16 conversion of them, as raw bits.

Usage: python3 float16_bits.py <in.f32> <out.f16>
"""
import sys

import numpy as np

values = np.fromfile(sys.argv[1], dtype="<f4")
values.astype(np.float16).astype("<f2").tofile(sys.argv[2])
