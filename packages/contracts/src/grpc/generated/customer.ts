import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Actor as _brokerage_common_v1_Actor, Actor__Output as _brokerage_common_v1_Actor__Output } from './brokerage/common/v1/Actor.js';
import type { PageInfo as _brokerage_common_v1_PageInfo, PageInfo__Output as _brokerage_common_v1_PageInfo__Output } from './brokerage/common/v1/PageInfo.js';
import type { PageRequest as _brokerage_common_v1_PageRequest, PageRequest__Output as _brokerage_common_v1_PageRequest__Output } from './brokerage/common/v1/PageRequest.js';
import type { AssignBrokerRequest as _brokerage_customer_v1_AssignBrokerRequest, AssignBrokerRequest__Output as _brokerage_customer_v1_AssignBrokerRequest__Output } from './brokerage/customer/v1/AssignBrokerRequest.js';
import type { Broker as _brokerage_customer_v1_Broker, Broker__Output as _brokerage_customer_v1_Broker__Output } from './brokerage/customer/v1/Broker.js';
import type { CreateBrokerRequest as _brokerage_customer_v1_CreateBrokerRequest, CreateBrokerRequest__Output as _brokerage_customer_v1_CreateBrokerRequest__Output } from './brokerage/customer/v1/CreateBrokerRequest.js';
import type { CreateCustomerRequest as _brokerage_customer_v1_CreateCustomerRequest, CreateCustomerRequest__Output as _brokerage_customer_v1_CreateCustomerRequest__Output } from './brokerage/customer/v1/CreateCustomerRequest.js';
import type { Customer as _brokerage_customer_v1_Customer, Customer__Output as _brokerage_customer_v1_Customer__Output } from './brokerage/customer/v1/Customer.js';
import type { CustomerServiceClient as _brokerage_customer_v1_CustomerServiceClient, CustomerServiceDefinition as _brokerage_customer_v1_CustomerServiceDefinition } from './brokerage/customer/v1/CustomerService.js';
import type { GetCustomerRequest as _brokerage_customer_v1_GetCustomerRequest, GetCustomerRequest__Output as _brokerage_customer_v1_GetCustomerRequest__Output } from './brokerage/customer/v1/GetCustomerRequest.js';
import type { ListBrokersRequest as _brokerage_customer_v1_ListBrokersRequest, ListBrokersRequest__Output as _brokerage_customer_v1_ListBrokersRequest__Output } from './brokerage/customer/v1/ListBrokersRequest.js';
import type { ListBrokersResponse as _brokerage_customer_v1_ListBrokersResponse, ListBrokersResponse__Output as _brokerage_customer_v1_ListBrokersResponse__Output } from './brokerage/customer/v1/ListBrokersResponse.js';
import type { ListCustomersRequest as _brokerage_customer_v1_ListCustomersRequest, ListCustomersRequest__Output as _brokerage_customer_v1_ListCustomersRequest__Output } from './brokerage/customer/v1/ListCustomersRequest.js';
import type { ListCustomersResponse as _brokerage_customer_v1_ListCustomersResponse, ListCustomersResponse__Output as _brokerage_customer_v1_ListCustomersResponse__Output } from './brokerage/customer/v1/ListCustomersResponse.js';
import type { ListMovementsRequest as _brokerage_customer_v1_ListMovementsRequest, ListMovementsRequest__Output as _brokerage_customer_v1_ListMovementsRequest__Output } from './brokerage/customer/v1/ListMovementsRequest.js';
import type { ListMovementsResponse as _brokerage_customer_v1_ListMovementsResponse, ListMovementsResponse__Output as _brokerage_customer_v1_ListMovementsResponse__Output } from './brokerage/customer/v1/ListMovementsResponse.js';
import type { Movement as _brokerage_customer_v1_Movement, Movement__Output as _brokerage_customer_v1_Movement__Output } from './brokerage/customer/v1/Movement.js';
import type { RequestDepositRequest as _brokerage_customer_v1_RequestDepositRequest, RequestDepositRequest__Output as _brokerage_customer_v1_RequestDepositRequest__Output } from './brokerage/customer/v1/RequestDepositRequest.js';
import type { RequestWithdrawalRequest as _brokerage_customer_v1_RequestWithdrawalRequest, RequestWithdrawalRequest__Output as _brokerage_customer_v1_RequestWithdrawalRequest__Output } from './brokerage/customer/v1/RequestWithdrawalRequest.js';
import type { SetStatusRequest as _brokerage_customer_v1_SetStatusRequest, SetStatusRequest__Output as _brokerage_customer_v1_SetStatusRequest__Output } from './brokerage/customer/v1/SetStatusRequest.js';
import type { SetTierRequest as _brokerage_customer_v1_SetTierRequest, SetTierRequest__Output as _brokerage_customer_v1_SetTierRequest__Output } from './brokerage/customer/v1/SetTierRequest.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  brokerage: {
    common: {
      v1: {
        Actor: MessageTypeDefinition<_brokerage_common_v1_Actor, _brokerage_common_v1_Actor__Output>
        CustomerStatus: EnumTypeDefinition
        PageInfo: MessageTypeDefinition<_brokerage_common_v1_PageInfo, _brokerage_common_v1_PageInfo__Output>
        PageRequest: MessageTypeDefinition<_brokerage_common_v1_PageRequest, _brokerage_common_v1_PageRequest__Output>
        Role: EnumTypeDefinition
        Side: EnumTypeDefinition
        Tier: EnumTypeDefinition
      }
    }
    customer: {
      v1: {
        AssignBrokerRequest: MessageTypeDefinition<_brokerage_customer_v1_AssignBrokerRequest, _brokerage_customer_v1_AssignBrokerRequest__Output>
        Broker: MessageTypeDefinition<_brokerage_customer_v1_Broker, _brokerage_customer_v1_Broker__Output>
        CreateBrokerRequest: MessageTypeDefinition<_brokerage_customer_v1_CreateBrokerRequest, _brokerage_customer_v1_CreateBrokerRequest__Output>
        CreateCustomerRequest: MessageTypeDefinition<_brokerage_customer_v1_CreateCustomerRequest, _brokerage_customer_v1_CreateCustomerRequest__Output>
        Customer: MessageTypeDefinition<_brokerage_customer_v1_Customer, _brokerage_customer_v1_Customer__Output>
        CustomerService: SubtypeConstructor<typeof grpc.Client, _brokerage_customer_v1_CustomerServiceClient> & { service: _brokerage_customer_v1_CustomerServiceDefinition }
        GetCustomerRequest: MessageTypeDefinition<_brokerage_customer_v1_GetCustomerRequest, _brokerage_customer_v1_GetCustomerRequest__Output>
        ListBrokersRequest: MessageTypeDefinition<_brokerage_customer_v1_ListBrokersRequest, _brokerage_customer_v1_ListBrokersRequest__Output>
        ListBrokersResponse: MessageTypeDefinition<_brokerage_customer_v1_ListBrokersResponse, _brokerage_customer_v1_ListBrokersResponse__Output>
        ListCustomersRequest: MessageTypeDefinition<_brokerage_customer_v1_ListCustomersRequest, _brokerage_customer_v1_ListCustomersRequest__Output>
        ListCustomersResponse: MessageTypeDefinition<_brokerage_customer_v1_ListCustomersResponse, _brokerage_customer_v1_ListCustomersResponse__Output>
        ListMovementsRequest: MessageTypeDefinition<_brokerage_customer_v1_ListMovementsRequest, _brokerage_customer_v1_ListMovementsRequest__Output>
        ListMovementsResponse: MessageTypeDefinition<_brokerage_customer_v1_ListMovementsResponse, _brokerage_customer_v1_ListMovementsResponse__Output>
        Movement: MessageTypeDefinition<_brokerage_customer_v1_Movement, _brokerage_customer_v1_Movement__Output>
        MovementKind: EnumTypeDefinition
        MovementStatus: EnumTypeDefinition
        RequestDepositRequest: MessageTypeDefinition<_brokerage_customer_v1_RequestDepositRequest, _brokerage_customer_v1_RequestDepositRequest__Output>
        RequestWithdrawalRequest: MessageTypeDefinition<_brokerage_customer_v1_RequestWithdrawalRequest, _brokerage_customer_v1_RequestWithdrawalRequest__Output>
        SetStatusRequest: MessageTypeDefinition<_brokerage_customer_v1_SetStatusRequest, _brokerage_customer_v1_SetStatusRequest__Output>
        SetTierRequest: MessageTypeDefinition<_brokerage_customer_v1_SetTierRequest, _brokerage_customer_v1_SetTierRequest__Output>
      }
    }
  }
}

