"""Software prefetch for the kernels: ask the CPU to start fetching a table row it will need soon.

The training kernels spend most of their time waiting for random rows of the
two tables (negatives, the next centre word, the word entering the window, a
subword model's n-gram rows) to arrive from L3 or memory.  The row a kernel
will need next is known one centre word ahead, so it asks for it then and the
fetch overlaps the current centre's arithmetic.  Numba has no prefetch
function; :func:`prefetch_row` emits LLVM's ``llvm.prefetch`` intrinsic, one
per 64-byte line of the row, with write intent (the kernels update the rows
they read).  A prefetch is only a hint: it never faults and changes no result.
"""

from __future__ import annotations

import llvmlite.binding as llvm
from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

#: LLVM 15 and later name the intrinsic by its opaque pointer type
_INTRINSIC = "llvm.prefetch.p0" if llvm.llvm_version_info[0] >= 15 else "llvm.prefetch.p0i8"
_LINE = 64
_WRITE, _KEEP_IN_ALL_CACHES, _DATA = 1, 3, 1


@intrinsic
def prefetch_row(typingctx, table, row):
    """Prefetch every cache line of row ``row`` of the 2-D C-contiguous array ``table`` (no bounds check)."""
    if not (isinstance(table, types.Array) and table.ndim == 2 and table.layout == "C"
            and isinstance(row, types.Integer)):
        return None

    def codegen(context, builder, signature, args):
        table_t, row_t = signature.args
        arr = context.make_array(table_t)(context, builder, args[0])
        index = context.cast(builder, args[1], row_t, types.intp)
        ncols = builder.extract_value(arr.shape, 1)
        itemsize = context.get_constant(types.intp, context.get_abi_sizeof(context.get_data_type(table_t.dtype)))
        nbytes = builder.mul(ncols, itemsize)
        byte_ptr = ir.IntType(8).as_pointer()
        start = builder.gep(builder.bitcast(arr.data, byte_ptr), [builder.mul(index, nbytes)])
        i32 = ir.IntType(32)
        fn = cgutils.get_or_insert_function(builder.module, ir.FunctionType(ir.VoidType(), [byte_ptr, i32, i32, i32]),
                                            _INTRINSIC)
        zero, line = context.get_constant(types.intp, 0), context.get_constant(types.intp, _LINE)
        with cgutils.for_range_slice(builder, zero, nbytes, line) as (offset, _):
            builder.call(fn, [builder.gep(start, [offset]), i32(_WRITE), i32(_KEEP_IN_ALL_CACHES), i32(_DATA)])
        return context.get_dummy_value()

    return types.void(table, row), codegen
