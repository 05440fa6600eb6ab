// Original file: proto/common.proto


export interface PageRequest {
  'page'?: (number);
  'size'?: (number);
}

export interface PageRequest__Output {
  'page': (number);
  'size': (number);
}
