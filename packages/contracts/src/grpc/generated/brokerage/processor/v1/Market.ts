// Original file: proto/processor.proto


export interface Market {
  'asset_name'?: (string);
  'crossing'?: (boolean);
  'updated_at'?: (string);
}

export interface Market__Output {
  'asset_name': (string);
  'crossing': (boolean);
  'updated_at': (string);
}
