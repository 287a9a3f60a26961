// One two-operand adder per instance: synthesised with -noflatten, so yosys cannot merge a tree of
// them into one $macc (which it would map to LUT compressors instead of the ALM's carry chain).
module add_signed #(parameter W = 4) (
    input  signed [W-2:0] x,
    input  signed [W-2:0] y,
    output signed [W-1:0] s
);
    assign s = x + y;
endmodule

// Full-width adder with a carry in (the +1 of an inverted partial-product row).
module add_full #(parameter W = 8) (
    input  [W-1:0] x,
    input  [W-1:0] y,
    input          ci,
    output [W-1:0] s
);
    assign s = x + y + ci;
endmodule
