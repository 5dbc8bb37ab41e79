# igraph-style GML with entities, graphics and a style
Creator "test"
Version 1
graph
[
  directed 1
  label "Tom &amp; Jerry"
  node [ id 0 label "Caf&eacute; &#x263A; &quot;x&quot;" graphics [ x 1.5 y -2 ] value "l" ]
  node [ id 1 label "B" ]
  edge [ source 0 target 1 value 4 label "talks" graphics [ style "dashed" ] ]
  edge [ source 1 target 0 channel "absent" ]
]
